#include "viewer_app.hpp"

#include "main_window.hpp"
#include "map_renderer.hpp"
#include "text.hpp"

#include "redline/errors.hpp"
#include "redline/version.hpp"

#include <QApplication>
#include <QMessageBox>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <new>
#include <optional>

namespace redline::viewer {
namespace {

bool has_display() {
    for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY"}) {
        const char* value = std::getenv(name);
        if (value != nullptr && *value != '\0') {
            return true;
        }
    }
    return false;
}

bool platform_chosen() {
    const char* value = std::getenv("QT_QPA_PLATFORM");
    return value != nullptr && *value != '\0';
}

// Qt's own notes that mean nothing to someone drawing a picture on a server.
void quiet_headless_notes(QtMsgType type, const QMessageLogContext& context, const QString& message) {
    if (type == QtWarningMsg && message.startsWith(QStringLiteral("QStandardPaths: XDG_RUNTIME_DIR not set"))) {
        return;
    }
    std::cerr << qPrintable(qFormatLogMessage(type, context, message)) << "\n";
}

void report(const std::string& text, bool gui) {
    std::cerr << "redline-viewer: " << redact_secrets(text) << "\n";
    if (gui && QApplication::instance() != nullptr) {
        QMessageBox::critical(nullptr, QStringLiteral("redline-viewer"), QString::fromStdString(redact_secrets(text)));
    }
}

}  // namespace

QRectF start_rect(const MapData& data, const ViewerOptions& options, const std::string& workspace_name,
                  std::vector<int>* zones) {
    if (!options.zone.empty()) {
        const std::vector<int> found = data.find_zone(options.zone);
        if (found.empty()) {
            throw UsageError(Message("viewer.unknown_zone", {{"workspace", workspace_name}, {"zone", options.zone}}));
        }
        if (zones != nullptr) {
            *zones = found;
        }
        return data.extent_of(found);
    }
    if (options.extent) {
        return data.plane_rect(*options.extent);
    }
    return data.full_extent();
}

void render_to_file(const MapData& data, const ViewerOptions& options, const std::string& workspace_name,
                    std::shared_ptr<const RasterBackground> background) {
    const std::string path = *options.render;
    if (std::filesystem::exists(path) && !options.overwrite) {
        throw DataError(Message("file.exists", {{"file", path}}));
    }
    std::vector<int> zones;
    const QRectF rect = start_rect(data, options, workspace_name, &zones);
    MapView view;
    view.size = QSizeF(options.width, options.height);
    fit_view(view, rect);
    RenderSettings settings;
    settings.highlighted = zones;
    settings.background = std::move(background);
    RenderStats stats;
    const QImage image = render_image(data, view, settings, 1, &stats);
    if (stats.background_problem) {
        throw DataError(*stats.background_problem);
    }
    const std::string partial = path + ".partial";
    if (!image.save(QString::fromStdString(partial), "PNG")) {
        std::error_code ignored;
        std::filesystem::remove(partial, ignored);
        throw DataError(Message("viewer.cannot_write", {{"file", path}}));
    }
    std::filesystem::rename(partial, path);
}

int run(int argc, char** argv) {
    add_viewer_messages();
    std::vector<std::string> args(argv + 1, argv + argc);
    set_language(requested_language(args));
    ViewerOptions options;
    try {
        options = parse_options(args);
    } catch (const UsageError& e) {
        report(e.message().text(language()), false);
        return static_cast<int>(ExitCode::usage);
    }
    set_language(options.language);
    if (options.help) {
        std::cout << help_text(options.language);
        return 0;
    }
    if (options.version) {
        std::cout << "redline-viewer " << tool_version << "\n";
        return 0;
    }
    const bool gui = !options.render;
    if (!has_display() && !platform_chosen()) {
        if (gui) {
            report(Message("viewer.no_display").text(language()), false);
            return static_cast<int>(ExitCode::usage);
        }
        // A picture needs no display: Qt draws it off screen.
        qputenv("QT_QPA_PLATFORM", "offscreen");
        qInstallMessageHandler(quiet_headless_notes);
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("redline-viewer"));
    QApplication::setApplicationVersion(QString::fromUtf8(tool_version));
    set_language(options.language);  // now that there is an application: its translations
    try {
        const SchemaSet schemas = SchemaSet::load(
            options.layers_dir.empty() ? SchemaSet::default_directory() : std::filesystem::path(options.layers_dir));
        // --background first: a raster that cannot be shown stops before the workspace is read.
        std::shared_ptr<const RasterBackground> background;
        if (!options.background.empty()) {
            background = std::make_shared<const RasterBackground>(RasterBackground::open(options.background));
        }
        if (gui) {
            QApplication::setOverrideCursor(Qt::WaitCursor);
        }
        // The window edits: it opens the workspace for writing when it may (a file it cannot
        // write, or a database role without rights, is shown read-only).
        std::optional<Workspace> writable, read_only;
        if (gui) {
            try {
                writable.emplace(Workspace::open(options.workspace));
            } catch (const Failure&) {
                writable.reset();  // opened read-only below, which says why when it cannot
            }
        }
        if (!writable) {
            read_only.emplace(Workspace::open_read_only(options.workspace));
        }
        const Workspace& workspace = writable ? *writable : *read_only;
        const std::string name = workspace.display_path();
        MapData data = MapData::load(workspace, schemas);
        if (gui) {
            QApplication::restoreOverrideCursor();
        }
        for (const auto& problem : data.problems) {
            std::cerr << "redline-viewer: " << redact_secrets(problem_line(problem, language())) << "\n";
        }
        if (!gui) {
            render_to_file(data, options, name, background);
            return 0;
        }
        std::vector<int> zones;
        const QRectF rect = start_rect(data, options, name, &zones);
        MainWindow window(data, QString::fromStdString(name));
        if (writable) {
            window.enable_editing(*writable, schemas, default_journal_path(options.workspace));
        }
        window.enable_screening(options.workspace, schemas);
        if (!read_only) {
            read_only.emplace(Workspace::open_read_only(options.workspace));  // the panels' own handle
        }
        window.enable_quality(*read_only, schemas);
        window.canvas()->zoom_to_rect(rect);
        if (background) {
            window.canvas()->set_background(background);
        }
        if (!zones.empty()) {
            window.canvas()->set_highlighted(zones);
            window.identify()->show_zones(zones);
        }
        window.show();
        return QApplication::exec();
    } catch (const UsageError& e) {
        report(e.message().text(language()), gui);
        return static_cast<int>(ExitCode::usage);
    } catch (const DataError& e) {
        report(e.message().text(language()), gui);
        return static_cast<int>(ExitCode::data);
    } catch (const std::filesystem::filesystem_error& e) {
        report(Message("viewer.file_system", {{"file", e.path1().string()}, {"detail", e.code().message()}})
                   .text(language()),
               gui);
        return static_cast<int>(ExitCode::data);
    } catch (const std::bad_alloc&) {
        report(Message("viewer.out_of_memory").text(language()), gui);
        return static_cast<int>(ExitCode::data);
    } catch (const std::exception& e) {
        report(std::string(language() == Language::zh ? "内部错误：" : "internal error: ") + e.what() +
                   (language() == Language::zh ? "\n这是程序缺陷或运行环境故障，请连同命令行一并报告。"
                                               : "\nThis is a bug or an environment failure; please report it "
                                                 "with the command line."),
               gui);
        return static_cast<int>(ExitCode::internal);
    }
}

}  // namespace redline::viewer
