// What the PostGIS tests share: the server the test binary started (main in
// test_postgis_areas.cpp), a fresh database on it, and the demo layers imported.
#pragma once

#include <string>

namespace redline::test {

extern std::string g_conninfo;  // libpq connection string of the test server's postgres database

// A new database with PostGIS for one test (dropped first if left over); its PG: string.
std::string fresh_database(const std::string& name);
// The demo layers imported into a workspace, a version each (5 versions).
void import_demo(const std::string& into);

}  // namespace redline::test
