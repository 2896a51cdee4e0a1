#include "redline/projection.hpp"

#include <proj.h>

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <numbers>
#include <stdexcept>
#include <string>
#include <tuple>

namespace redline {
namespace {

struct ContextDeleter {
    void operator()(PJ_CONTEXT* c) const { proj_context_destroy(c); }
};
struct PjDeleter {
    void operator()(PJ* p) const { proj_destroy(p); }
};
using ContextPtr = std::unique_ptr<PJ_CONTEXT, ContextDeleter>;
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

constexpr const char* geographic_grs80 = "+proj=longlat +ellps=GRS80 +no_defs +type=crs";

std::string number(double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%.12g", value);
    return text;
}

std::string tmerc_definition(double central_meridian, double false_easting) {
    return "+proj=tmerc +lat_0=0 +lon_0=" + number(central_meridian) + " +k=1 +x_0=" + number(false_easting) +
           " +y_0=0 +ellps=GRS80 +units=m +no_defs";
}

}  // namespace

int gauss_kruger_zone_3deg(double lon) {
    return static_cast<int>(std::floor(lon / 3.0 + 0.5));
}

int gauss_kruger_epsg_3deg(int zone) {
    return zone >= 25 && zone <= 45 ? 4488 + zone : 0;
}

struct TransverseMercator::Impl {
    ContextPtr context{proj_context_create()};
    PjPtr transform;  // lon/lat degrees <-> metres, easting first
    PjPtr factors;    // the bare projection, for proj_factors (radians in)
    double central_meridian = 0;
    double false_easting = 0;
    int epsg = 0;

    void create(const std::string& source, const std::string& target) {
        PJ_CONTEXT* ctx = context.get();
        PjPtr raw(proj_create_crs_to_crs(ctx, source.c_str(), target.c_str(), nullptr));
        if (raw) {
            transform.reset(proj_normalize_for_visualization(ctx, raw.get()));
        }
        factors.reset(proj_create(ctx, tmerc_definition(central_meridian, false_easting).c_str()));
        if (!transform || !factors) {
            throw std::runtime_error("PROJ: cannot create the transverse Mercator projection " + target);
        }
    }
};

TransverseMercator::TransverseMercator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

TransverseMercator::TransverseMercator(double central_meridian, double false_easting)
    : impl_(std::make_unique<Impl>()) {
    impl_->central_meridian = central_meridian;
    impl_->false_easting = false_easting;
    impl_->create(geographic_grs80, tmerc_definition(central_meridian, false_easting) + " +type=crs");
}

TransverseMercator TransverseMercator::gauss_kruger_3deg(int zone) {
    auto impl = std::make_unique<Impl>();
    impl->central_meridian = 3.0 * zone;
    impl->false_easting = zone * 1e6 + 500000.0;
    impl->epsg = gauss_kruger_epsg_3deg(zone);
    if (impl->epsg != 0) {
        impl->create("EPSG:" + std::to_string(storage_epsg), "EPSG:" + std::to_string(impl->epsg));
    } else {
        impl->create(geographic_grs80, tmerc_definition(impl->central_meridian, impl->false_easting) + " +type=crs");
    }
    return TransverseMercator(std::move(impl));
}

TransverseMercator::TransverseMercator(TransverseMercator&&) noexcept = default;
TransverseMercator& TransverseMercator::operator=(TransverseMercator&&) noexcept = default;
TransverseMercator::~TransverseMercator() = default;

double TransverseMercator::central_meridian() const {
    return impl_->central_meridian;
}

double TransverseMercator::false_easting() const {
    return impl_->false_easting;
}

int TransverseMercator::epsg() const {
    return impl_->epsg;
}

std::pair<double, double> TransverseMercator::forward(double lon, double lat) const {
    const PJ_COORD c = proj_trans(impl_->transform.get(), PJ_FWD, proj_coord(lon, lat, 0, 0));
    return {c.xy.x, c.xy.y};
}

std::pair<double, double> TransverseMercator::inverse(double easting, double northing) const {
    const PJ_COORD c = proj_trans(impl_->transform.get(), PJ_INV, proj_coord(easting, northing, 0, 0));
    return {c.lp.lam, c.lp.phi};
}

void TransverseMercator::forward(std::vector<LonLat>& points) const {
    if (points.empty()) {
        return;
    }
    constexpr std::size_t stride = sizeof(LonLat);
    proj_trans_generic(impl_->transform.get(), PJ_FWD, &points.front().first, stride, points.size(),
                       &points.front().second, stride, points.size(), nullptr, 0, 0, nullptr, 0, 0);
}

double TransverseMercator::scale_factor(double lon, double lat) const {
    const double to_radians = std::numbers::pi / 180.0;
    const PJ_FACTORS f = proj_factors(impl_->factors.get(), proj_coord(lon * to_radians, lat * to_radians, 0, 0));
    // Conformal: the scale along the meridian is the scale in every direction.
    return f.meridional_scale > 0 ? f.meridional_scale : 1.0;
}

GaussKrugerPoint GaussKruger3Degree::forward(double lon, double lat) {
    GaussKrugerPoint out;
    out.zone = gauss_kruger_zone_3deg(lon);
    out.epsg = gauss_kruger_epsg_3deg(out.zone);
    const TransverseMercator* projection = nullptr;
    for (const auto& [zone, tm] : zones_) {
        if (zone == out.zone) {
            projection = &tm;
        }
    }
    if (projection == nullptr) {
        zones_.emplace_back(out.zone, TransverseMercator::gauss_kruger_3deg(out.zone));
        projection = &zones_.back().second;
    }
    std::tie(out.easting, out.northing) = projection->forward(lon, lat);
    return out;
}

double scale_bar_length(double target) {
    const double power = std::pow(10.0, std::floor(std::log10(target)));
    for (const double f : {5.0, 2.0, 1.0}) {
        if (f * power <= target) {
            return f * power;
        }
    }
    return power;
}

}  // namespace redline
