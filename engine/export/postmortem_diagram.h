#pragma once

#include "engine/export/diagram_painter.h"
#include "engine/export/postmortem.h"

#include <QByteArray>
#include <QString>

#include <variant>

namespace runlane {

// The walk of an incident as a diagram overlay: the steps entered in order and the edges between
// them, failed and skipped steps marked; the last step is current while the incident is active.
DiagramOverlay walkedOverlay(const Postmortem &pm);

// The playbook snapshot laid out and drawn as SVG with the walked path, for the HTML and PDF
// exports. Needs a QGuiApplication (text is measured with the application font).
std::variant<QByteArray, QString> postmortemDiagramSvg(const Postmortem &pm);

} // namespace runlane
