// Progress of a job on a worker thread shown on a status label: the stage (after a prefix)
// and how far it got, posted to the GUI thread at most once per percent.
#pragma once

#ifndef Q_MOC_RUN
#include "redline/progress.hpp"
#include "text.hpp"
#endif

#include <QLabel>
#include <QMetaObject>
#include <QString>

#include <algorithm>
#include <cstdint>
#include <utility>

namespace redline::viewer {

class LabelProgress : public Progress {
public:
    LabelProgress(QLabel* label, QString prefix) : label_(label), prefix_(std::move(prefix)) {}

protected:
    void on_stage(const Message& what, std::uint64_t total) override {
        stage_ = prefix_ + text(what);
        total_ = total;
        percent_ = -1;
        post(stage_);
    }
    void on_advance(std::uint64_t done) override {
        if (total_ == 0) {
            return;
        }
        const int percent = static_cast<int>(std::min<std::uint64_t>(100, done * 100 / total_));
        if (percent != percent_) {
            percent_ = percent;
            post(QStringLiteral("%1 %2%").arg(stage_).arg(percent));
        }
    }

private:
    void post(const QString& message) {
        QMetaObject::invokeMethod(
            label_, [label = label_, message]() { label->setText(message); }, Qt::QueuedConnection);
    }

    QLabel* label_;
    QString prefix_, stage_;
    std::uint64_t total_ = 0;
    int percent_ = -1;
};

}  // namespace redline::viewer
