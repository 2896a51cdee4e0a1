// The demo workspace every test suite builds: the layers of layers/demo imported into a
// new GeoPackage, one version per kind. Free of any test framework, so that the Catch2
// and the QtTest suites share it.
#pragma once

#include "redline/model/schema.hpp"

#include <filesystem>

namespace redline::test {

// Imports districts, water sources, the reserve, red lines and units (versions 1 to 5)
// from `demo_dir` into a new workspace at `path`.
void import_demo_layers(const std::filesystem::path& path, const std::filesystem::path& demo_dir,
                        const SchemaSet& schemas);

}  // namespace redline::test
