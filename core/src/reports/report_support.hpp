// Labels and lists shared by the report writers (table, JSON, HTML/PDF report): the public
// wording (redline/reports/wording.hpp), which the viewer and the server use too.
#pragma once

#include "redline/reports/wording.hpp"
