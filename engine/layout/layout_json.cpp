#include "engine/layout/layout_json.h"

#include <QJsonArray>

#include <cmath>

namespace runlane {

namespace {

double rounded(qreal value)
{
    return std::round(value * 100) / 100;
}

QJsonArray toJson(QPointF p)
{
    return {rounded(p.x()), rounded(p.y())};
}

QJsonObject toJson(const QRectF &r)
{
    return {{QStringLiteral("x"), rounded(r.x())},
            {QStringLiteral("y"), rounded(r.y())},
            {QStringLiteral("width"), rounded(r.width())},
            {QStringLiteral("height"), rounded(r.height())}};
}

template<class Points> QJsonArray toJsonArray(const Points &points)
{
    QJsonArray array;
    for (const QPointF &p : points)
        array.append(toJson(p));
    return array;
}

} // namespace

QJsonObject layoutToJson(const Layout &layout)
{
    QJsonArray lanes;
    for (const LaneBand &lane : layout.lanes)
        lanes.append(QJsonObject{{QStringLiteral("id"), lane.laneId},
                                 {QStringLiteral("title"), lane.title},
                                 {QStringLiteral("rect"), toJson(lane.rect)},
                                 {QStringLiteral("titleRect"), toJson(lane.titleRect)}});
    QJsonArray nodes;
    for (const NodeBox &node : layout.nodes)
        nodes.append(
            QJsonObject{{QStringLiteral("id"), node.stepId},
                        {QStringLiteral("lane"), node.lane},
                        {QStringLiteral("type"), toString(node.type)},
                        {QStringLiteral("title"), node.title},
                        {QStringLiteral("titleLines"), QJsonArray::fromStringList(node.titleLines)},
                        {QStringLiteral("rect"), toJson(node.rect)},
                        {QStringLiteral("textRect"), toJson(node.textRect)},
                        {QStringLiteral("iconRect"), toJson(node.iconRect)},
                        {QStringLiteral("outline"), toJsonArray(node.outline)}});
    QJsonArray edges;
    for (const EdgePath &edge : layout.edges) {
        QJsonArray ways;
        for (const Step::Way &way : edge.ways)
            ways.append(QJsonObject{{QStringLiteral("kind"), toString(way.kind)},
                                    {QStringLiteral("label"), way.label}});
        QJsonObject object{
            {QStringLiteral("from"), edge.from},
            {QStringLiteral("to"), edge.to},
            {QStringLiteral("ways"), ways},
            {QStringLiteral("labelLines"), QJsonArray::fromStringList(edge.labelLines)},
            {QStringLiteral("points"), toJsonArray(edge.points)}};
        if (edge.arrowStart)
            object.insert(QStringLiteral("arrowStart"), toJson(*edge.arrowStart));
        if (edge.arrowEnd)
            object.insert(QStringLiteral("arrowEnd"), toJson(*edge.arrowEnd));
        if (edge.labelPos) {
            object.insert(QStringLiteral("labelPos"), toJson(*edge.labelPos));
            object.insert(QStringLiteral("labelRect"), toJson(edge.labelRect));
        }
        edges.append(object);
    }
    return {{QStringLiteral("units"), QStringLiteral("px@96dpi, y down")},
            {QStringLiteral("bounds"), toJson(layout.bounds)},
            {QStringLiteral("lanes"), lanes},
            {QStringLiteral("nodes"), nodes},
            {QStringLiteral("edges"), edges},
            {QStringLiteral("messages"), QJsonArray::fromStringList(layout.messages)}};
}

} // namespace runlane
