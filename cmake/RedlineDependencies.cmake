# All third-party libraries come from Debian 12 packages (see scripts/setup.sh).
find_package(GDAL 3.6 CONFIG REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(GEOS REQUIRED IMPORTED_TARGET geos>=3.11)
# Reports: pango lays out (and shapes CJK) text on cairo's PDF surface.
pkg_check_modules(PANGOCAIRO REQUIRED IMPORTED_TARGET pangocairo>=1.50 cairo-pdf>=1.16)
find_package(PROJ 9 CONFIG REQUIRED)
find_package(tomlplusplus 3 REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(CLI11 2 CONFIG REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
find_package(PostgreSQL REQUIRED)
