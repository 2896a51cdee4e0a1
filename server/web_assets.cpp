#include "web_assets.hpp"

#include <algorithm>

namespace redline::server {
namespace {

std::string content_type_of(std::string_view path) {
    const auto ends_with = [&](std::string_view suffix) { return path.ends_with(suffix); };
    if (path == "/" || ends_with(".html")) {
        return "text/html; charset=utf-8";
    }
    if (ends_with(".js")) {
        return "text/javascript; charset=utf-8";
    }
    if (ends_with(".css")) {
        return "text/css; charset=utf-8";
    }
    if (ends_with("openapi.json")) {
        return "application/vnd.oai.openapi+json;version=3.0";
    }
    if (ends_with(".png")) {
        return "image/png";
    }
    if (ends_with(".svg")) {
        return "image/svg+xml";
    }
    return "application/octet-stream";
}

}  // namespace

std::optional<WebFile> web_file(std::string_view path) {
    const auto assets = web_assets();
    const auto found =
        std::find_if(assets.begin(), assets.end(), [&](const WebAsset& asset) { return asset.path == path; });
    if (found == assets.end()) {
        return std::nullopt;
    }
    return WebFile{found->content, content_type_of(path)};
}

}  // namespace redline::server
