// redline-viewer: shows a workspace's current zones on a map (see docs/viewer.md).
#include "viewer_app.hpp"

int main(int argc, char** argv) {
    return redline::viewer::run(argc, argv);
}
