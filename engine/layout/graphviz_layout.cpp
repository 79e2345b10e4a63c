#include "engine/layout/graphviz_layout.h"

#include <QAtomicInt>
#include <QDir>
#include <QFile>
#include <QPainterPath>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <algorithm>
#include <clocale>
#include <locale.h>
#include <mutex>
#include <optional>

// The dot layout plugin, linked in (see CMakeLists.txt): preloaded so that layout works when
// Graphviz's plugin config file is missing. Only layout is done here, no rendering or text
// layout plugin: every label is a fixed-size box measured with Qt.
extern "C" {
extern gvplugin_library_t gvplugin_dot_layout_LTX_library;
}

namespace runlane {

namespace {

constexpr qreal pixelsPerPoint = pixelsPerInch / 72.0;

// Graphviz keeps global state (cgraph, the layout code, the error hook): one context, and every
// ag*/gv* call made with this mutex held.
struct Graphviz
{
    std::mutex mutex;
    GVC_t *context = nullptr;
    QStringList *messages = nullptr; // where captureMessage() writes; set with the mutex held
    QString pending;                 // Graphviz sends a message in pieces: the current line

    Graphviz()
    {
        static const lt_symlist_t builtins[] = {
            {"gvplugin_dot_layout_LTX_library",
             static_cast<void *>(&gvplugin_dot_layout_LTX_library)},
            {nullptr, nullptr}};
        context = gvContextPlugins(builtins, 0);
    }
    ~Graphviz() { gvFreeContext(context); }
    Graphviz(const Graphviz &) = delete;
    Graphviz &operator=(const Graphviz &) = delete;
};

Graphviz &graphviz()
{
    static Graphviz instance;
    return instance;
}

// Graphviz hands a message over in pieces ("Error", ": ", the text, then node lists): they are
// joined into lines, and only the first lines of a long report are kept.
constexpr qsizetype maxMessages = 12;

void flushLine(Graphviz &gv, bool all)
{
    qsizetype end;
    while ((end = gv.pending.indexOf(u'\n')) >= 0 || (all && !gv.pending.isEmpty())) {
        const QString line = (end >= 0 ? gv.pending.left(end) : gv.pending).trimmed();
        gv.pending = end >= 0 ? gv.pending.mid(end + 1) : QString();
        if (line.isEmpty() || !gv.messages)
            continue;
        if (gv.messages->size() < maxMessages)
            gv.messages->append(line);
        else if (gv.messages->size() == maxMessages)
            gv.messages->append(QStringLiteral("(more Graphviz messages left out)"));
    }
}

int captureMessage(char *text)
{
    Graphviz &gv = graphviz();
    gv.pending += QString::fromUtf8(text);
    flushLine(gv, false);
    return 0;
}

// Graphviz parses and prints numbers with atof/printf: pin the numeric locale of this thread to
// "C" (uselocale is per thread, so the GUI thread's locale is left alone).
class CNumericLocale
{
public:
    CNumericLocale()
    {
        static const locale_t c = newlocale(LC_NUMERIC_MASK, "C", duplocale(LC_GLOBAL_LOCALE));
        m_previous = uselocale(c);
    }
    ~CNumericLocale() { uselocale(m_previous); }
    CNumericLocale(const CNumericLocale &) = delete;
    CNumericLocale &operator=(const CNumericLocale &) = delete;

private:
    locale_t m_previous;
};

// Captures Graphviz's warnings and errors while alive.
class MessageCapture
{
public:
    explicit MessageCapture(QStringList *messages)
    {
        graphviz().messages = messages;
        graphviz().pending.clear();
        m_function = agseterrf(captureMessage);
        m_level = agseterr(AGWARN);
        agreseterrors();
    }
    ~MessageCapture()
    {
        flush();
        agseterr(m_level);
        agseterrf(m_function);
        graphviz().messages = nullptr;
    }
    void flush() { flushLine(graphviz(), true); }
    // Whether Graphviz reported an error (not a warning) since the capture began.
    bool sawError() const { return agerrors() >= AGERR; }
    MessageCapture(const MessageCapture &) = delete;
    MessageCapture &operator=(const MessageCapture &) = delete;

private:
    agusererrf m_function;
    agerrlevel_t m_level;
};

// The C API takes char*; these strings outlive the call.
char *cstr(QByteArray &text)
{
    return text.data();
}

// cgraph's own ids are the addresses of the interned names, and it keeps subgraphs in id order:
// the clusters came to dot in an order that depended on the heap, and dot breaks ties by it (the
// same DOT was laid out some pixels apart from one layout to the next, in one process). These ids
// follow the order in which the names first appear in the DOT.
struct NameIds
{
    QList<QByteArray> names; // id 2(i+1) is names[i]; odd ids are the anonymous objects'
    QHash<QByteArray, IDTYPE> ids;
    IDTYPE anonymous = 1;
};

void *openNameIds(Agraph_t *, Agdisc_t *)
{
    return new NameIds;
}

long mapNameId(void *state, int, char *name, IDTYPE *id, int create)
{
    auto &ids = *static_cast<NameIds *>(state);
    if (!name) {
        *id = ids.anonymous;
        ids.anonymous += 2;
        return 1;
    }
    const QByteArray key(name);
    if (const auto it = ids.ids.constFind(key); it != ids.ids.cend())
        *id = *it;
    else if (!create)
        *id = 0; // no object has it: a lookup that finds nothing, as with cgraph's ids
    else {
        ids.names.append(key);
        *id = IDTYPE(2 * ids.names.size());
        ids.ids.insert(key, *id);
    }
    return 1;
}

long allocNameId(void *, int, IDTYPE)
{
    return 0; // ids are never chosen by the caller
}

void freeNameId(void *, int, IDTYPE) {}

char *printNameId(void *state, int, IDTYPE id)
{
    const auto &ids = *static_cast<const NameIds *>(state);
    if (id % 2 || id == 0 || qsizetype(id / 2) > ids.names.size())
        return nullptr;
    return const_cast<char *>(ids.names.at(qsizetype(id / 2) - 1).constData());
}

void closeNameIds(void *state)
{
    delete static_cast<NameIds *>(state);
}

void registerNameId(void *, int, void *) {}

Agiddisc_t nameIdDisc = {openNameIds, mapNameId,    allocNameId,   freeNameId,
                         printNameId, closeNameIds, registerNameId};

// Reads the DOT from memory, a line at a time (as agmemread does: the parser counts lines).
struct DotSource
{
    const QByteArray &text;
    qsizetype position = 0;
};

int readDotSource(void *channel, char *buffer, int size)
{
    auto &source = *static_cast<DotSource *>(channel);
    int length = 0;
    while (length < size && source.position < source.text.size()) {
        const char c = source.text.at(source.position++);
        buffer[length++] = c;
        if (c == '\n')
            break;
    }
    return length;
}

Agiodisc_t dotSourceDisc = {readDotSource, nullptr, nullptr};

Agraph_t *readDot(const QByteArray &text)
{
    Agdisc_t disc = {&AgMemDisc, &nameIdDisc, &dotSourceDisc};
    DotSource source{text};
    return agread(&source, &disc);
}

void dumpDot(const QByteArray &dot, const QString &playbookId)
{
    const QString dir = qEnvironmentVariable("RUNLANE_DUMP_DOT");
    if (dir.isEmpty())
        return;
    static QAtomicInt counter;
    QDir().mkpath(dir);
    QFile file(QDir(dir).filePath(
        QStringLiteral("%1-%2.dot").arg(playbookId).arg(counter.fetchAndAddRelaxed(1))));
    if (file.open(QIODevice::WriteOnly))
        file.write(dot);
}

// Reads the geometry back; `toQt` flips y against the root graph's bounding box.
struct Reader
{
    boxf bb;
    QPointF toQt(pointf p) const
    {
        return {(p.x - bb.LL.x) * pixelsPerPoint, (bb.UR.y - p.y) * pixelsPerPoint};
    }
    QRectF toQt(boxf box) const { return QRectF(toQt(box.LL), toQt(box.UR)).normalized(); }
};

QPolygonF outlineOf(Agnode_t *node, QPointF centre)
{
    QPolygonF outline;
    const auto *polygon = static_cast<const polygon_t *>(ND_shape_info(node));
    if (!polygon || polygon->sides < 3 || !polygon->vertices)
        return outline;
    // The outermost periphery is the one edges are clipped to.
    const int first = std::max(polygon->peripheries - 1, 0) * polygon->sides;
    for (int i = 0; i < polygon->sides; ++i) {
        const pointf v = polygon->vertices[first + i];
        outline.append(centre + QPointF(v.x, -v.y) * pixelsPerPoint);
    }
    outline.append(outline.constFirst());
    return outline;
}

EdgePath edgePathOf(Agedge_t *edge, const DotEdge &dotEdge, const Reader &reader)
{
    EdgePath path;
    path.from = dotEdge.from;
    path.to = dotEdge.to;
    path.ways = dotEdge.ways;
    path.labelLines = dotEdge.label.lines;
    const splines *spl = ED_spl(edge);
    for (int b = 0; b < spl->size; ++b) {
        const bezier &bz = spl->list[b];
        for (int i = 0; i < bz.size; ++i) {
            const QPointF p = reader.toQt(bz.list[i]);
            if (i == 0 && !path.points.isEmpty() && path.points.constLast() == p)
                continue; // the next bezier goes on where the last one ended
            path.points.append(p);
        }
        if (b == 0 && bz.sflag)
            path.arrowStart = reader.toQt(bz.sp);
        if (b == spl->size - 1 && bz.eflag)
            path.arrowEnd = reader.toQt(bz.ep);
    }
    if (const textlabel_t *label = ED_label(edge); label && label->set) {
        path.labelPos = reader.toQt(label->pos);
        const QSizeF size = dotEdge.label.size;
        path.labelRect =
            QRectF(*path.labelPos - QPointF(size.width() / 2, size.height() / 2), size);
    }
    return path;
}

// dot now and then puts an edge label over a node (seen beside tall diamonds) or over another
// label: such a label is moved sideways, along its rank, to the nearest free place.
void separateLabels(Layout &layout)
{
    QList<QPainterPath> shapes;
    for (const NodeBox &node : std::as_const(layout.nodes)) {
        QPainterPath shape;
        shape.addPolygon(node.outline);
        shapes.append(shape);
    }
    QList<QRectF> placed;
    const auto isFree = [&](const QRectF &rect) {
        for (qsizetype i = 0; i < shapes.size(); ++i) {
            if (layout.nodes.at(i).rect.intersects(rect) && shapes.at(i).intersects(rect))
                return false;
        }
        for (const QRectF &other : std::as_const(placed)) {
            if (other.intersects(rect))
                return false;
        }
        return true;
    };
    constexpr qreal step = 8;
    constexpr int tries = 80;
    for (EdgePath &edge : layout.edges) {
        if (!edge.labelPos)
            continue;
        // Where it is, then 8 px right, 8 px left, 16 px right… up to `tries` steps each way.
        std::optional<QRectF> free;
        for (int i = 0; i <= 2 * tries && !free; ++i) {
            const qreal dx = (i % 2 ? -1 : 1) * step * ((i + 1) / 2);
            if (const QRectF rect = edge.labelRect.translated(dx, 0); isFree(rect))
                free = rect;
        }
        if (free) {
            edge.labelRect = *free;
            edge.labelPos = free->center();
        } else {
            layout.messages.append(
                QStringLiteral("no free place for the label of %1 -> %2").arg(edge.from, edge.to));
        }
        placed.append(edge.labelRect);
    }
}

// dot sizes clusters to their content: stretch the bands to one height and close the gaps
// between neighbours, so that they read as swimlanes (still disjoint: the lane anchors make dot
// put the clusters side by side).
void stretchLanes(Layout &layout)
{
    if (layout.lanes.isEmpty())
        return;
    qreal top = layout.lanes.constFirst().rect.top();
    qreal bottom = layout.lanes.constFirst().rect.bottom();
    for (const LaneBand &band : std::as_const(layout.lanes)) {
        top = std::min(top, band.rect.top());
        bottom = std::max(bottom, band.rect.bottom());
    }
    QList<LaneBand *> byX;
    for (LaneBand &band : layout.lanes) {
        band.rect.setTop(top);
        band.rect.setBottom(bottom);
        byX.append(&band);
    }
    std::sort(byX.begin(), byX.end(),
              [](const LaneBand *a, const LaneBand *b) { return a->rect.left() < b->rect.left(); });
    for (qsizetype i = 1; i < byX.size(); ++i) {
        QRectF &left = byX[i - 1]->rect;
        QRectF &right = byX[i]->rect;
        if (left.right() > right.left()) {
            layout.messages.append(QStringLiteral("lanes '%1' and '%2' overlap")
                                       .arg(byX[i - 1]->laneId, byX[i]->laneId));
            continue;
        }
        const qreal middle = (left.right() + right.left()) / 2;
        left.setRight(middle);
        right.setLeft(middle);
    }
    // dot may put an edge label beside the outermost clusters: the outer bands reach it.
    QRectF content;
    for (const NodeBox &node : std::as_const(layout.nodes))
        content |= node.rect;
    for (const EdgePath &edge : std::as_const(layout.edges)) {
        content |= edge.labelRect;
        for (const QPointF p : edge.points)
            content |= QRectF(p, QSizeF(0.01, 0.01));
    }
    if (!byX.isEmpty()) {
        byX.constFirst()->rect.setLeft(std::min(byX.constFirst()->rect.left(), content.left()));
        byX.constLast()->rect.setRight(std::max(byX.constLast()->rect.right(), content.right()));
    }
    // The bands are the diagram: the lane heads and root above them (invisible) are left out. Each
    // title goes at the top of its final band, narrowed to it when wider.
    layout.bounds = {};
    for (LaneBand &band : layout.lanes) {
        layout.bounds = layout.bounds.united(band.rect);
        const qreal width = std::min(band.titleRect.width(), band.rect.width() - 8);
        band.titleRect = QRectF(band.rect.center().x() - width / 2, band.rect.top() + 6, width,
                                band.titleRect.height());
    }
}

std::variant<Layout, QString> readLayout(Agraph_t *graph, const DotGraph &dot, Layout layout)
{
    const Reader reader{GD_bb(graph)};
    layout.bounds = QRectF(QPointF(0, 0), reader.toQt(pointf{reader.bb.UR.x, reader.bb.LL.y}));

    for (qsizetype i = 0; i < dot.lanes.size(); ++i) {
        const DotLane &lane = dot.lanes.at(i);
        QByteArray name = laneClusterName(i);
        if (Agraph_t *cluster = agsubg(graph, cstr(name), 0)) {
            LaneBand band;
            band.laneId = lane.id;
            band.title = lane.title.lines.join(u' ');
            band.rect = reader.toQt(GD_bb(cluster));
            // Graphviz kept room for the title across the top of each cluster; the bands are
            // stretched later to one top, and every title goes there, on one line.
            band.titleRect = QRectF(QPointF(0, 0), lane.title.size);
            layout.lanes.append(band);
        }
    }

    for (qsizetype i = 0; i < dot.nodes.size(); ++i) {
        const DotNode &dotNode = dot.nodes.at(i);
        QByteArray name = stepNodeName(i);
        Agnode_t *node = agnode(graph, cstr(name), 0);
        if (!node)
            return QStringLiteral("step '%1' is missing from the laid-out graph")
                .arg(dotNode.stepId);
        const QPointF centre = reader.toQt(ND_coord(node));
        const QSizeF size(ND_width(node) * pixelsPerInch, ND_height(node) * pixelsPerInch);
        NodeBox box;
        box.stepId = dotNode.stepId;
        box.lane = dotNode.lane;
        box.type = dotNode.type;
        box.rect = QRectF(centre - QPointF(size.width() / 2, size.height() / 2), size);
        box.outline = outlineOf(node, centre);
        box.title = dotNode.stepTitle;
        box.titleLines = dotNode.title.lines;
        const QSizeF content = dotNode.content;
        const QSizeF text = dotNode.title.size;
        const QPointF middle = centre + contentCentre(box.type, size);
        const QRectF contentRect(middle - QPointF(content.width() / 2, content.height() / 2),
                                 content);
        box.textRect = QRectF(contentRect.right() - text.width(), middle.y() - text.height() / 2,
                              text.width(), text.height());
        const qreal icon = contentRect.width() - text.width() - nodeIconGap;
        box.iconRect = QRectF(contentRect.left(), middle.y() - icon / 2, icon, icon);
        layout.nodes.append(box);
    }

    QList<std::optional<EdgePath>> edges(dot.edges.size());
    QByteArray wayAttribute = "rl_way";
    for (Agnode_t *node = agfstnode(graph); node; node = agnxtnode(graph, node)) {
        for (Agedge_t *edge = agfstout(graph, node); edge; edge = agnxtout(graph, edge)) {
            bool ok = false;
            const qsizetype index = QByteArray(agget(edge, cstr(wayAttribute))).toLongLong(&ok);
            if (!ok || index < 0 || index >= edges.size())
                continue; // the invisible edges between lane anchors
            if (ED_spl(edge) && ED_spl(edge)->size > 0)
                edges[index] = edgePathOf(edge, dot.edges.at(index), reader);
        }
    }
    QStringList lost;
    for (qsizetype i = 0; i < edges.size(); ++i) {
        if (edges.at(i))
            layout.edges.append(*edges.at(i));
        else
            lost.append(
                QStringLiteral("lost edge %1 -> %2").arg(dot.edges.at(i).from, dot.edges.at(i).to));
    }
    if (!lost.isEmpty()) {
        layout.messages.append(lost);
        return layout.messages.join(u'\n');
    }
    separateLabels(layout);
    stretchLanes(layout);
    return layout;
}

std::variant<Layout, QString> layoutDotNamed(const DotGraph &dot, const QString &playbookId)
{
    Layout layout;
    layout.messages = dot.messages;
    layout.titleFont = dot.titleFont;
    layout.labelFont = dot.labelFont;
    layout.laneFont = dot.laneFont;
    layout.dot = dot.text;
    dumpDot(dot.text, playbookId);

    Graphviz &gv = graphviz();
    const std::lock_guard lock(gv.mutex);
    if (!gv.context)
        return QStringLiteral("Graphviz could not be initialised");
    const CNumericLocale locale;
    MessageCapture capture(&layout.messages);

    Agraph_t *graph = readDot(dot.text);
    capture.flush();
    if (!graph)
        return QStringLiteral("Graphviz could not read the DOT: %1")
            .arg(layout.messages.join(u'\n'));
    std::variant<Layout, QString> result;
    // Graphviz reports some failures ("trouble in init_rank") and carries on with a broken
    // layout: an error is a failed layout. The layout data is freed whatever happened.
    const int status = gvLayout(gv.context, graph, "dot");
    capture.flush();
    if (status != 0 || capture.sawError()) {
        result = QStringLiteral("Graphviz layout failed: %1").arg(layout.messages.join(u'\n'));
        gvFreeLayout(gv.context, graph);
    } else {
        result = readLayout(graph, dot, layout);
        gvFreeLayout(gv.context, graph);
    }
    agclose(graph);
    return result;
}

// The first pair of neighbouring lanes drawn the wrong way round, or -1.
qsizetype firstLaneOutOfOrder(const Layout &layout)
{
    for (qsizetype i = 1; i < layout.lanes.size(); ++i) {
        if (layout.lanes.at(i).rect.left() < layout.lanes.at(i - 1).rect.left())
            return i;
    }
    return -1;
}

// Both DOTs are written before Graphviz runs; `plain` is only laid out when needed.
std::variant<Layout, QString> layoutWritten(const DotGraph &grouped, const DotGraph &plainTies,
                                            const QString &playbookId)
{
    // Grouped lane ties keep the lane order; plain ties are the fallback when Graphviz fails on
    // them.
    auto result = layoutDotNamed(grouped, playbookId);
    if (std::holds_alternative<QString>(result))
        result = layoutDotNamed(plainTies, playbookId);
    if (auto *layout = std::get_if<Layout>(&result)) {
        // The ties keep dot from swapping whole lanes; should it still, say so, never hide it.
        if (const qsizetype i = firstLaneOutOfOrder(*layout); i > 0)
            layout->messages.append(
                QStringLiteral("lanes are drawn out of their order in the playbook ('%1' right of "
                               "'%2')")
                    .arg(layout->lanes.at(i - 1).laneId, layout->lanes.at(i).laneId));
    }
    return result;
}

// Plain ties differ from grouped ones only in the DOT text: share the rest.
DotGraph withPlainTies(const DotGraph &grouped)
{
    DotGraph plain = grouped;
    plain.text = dotText(grouped, LaneTies::Plain);
    return plain;
}

} // namespace

std::variant<Layout, QString> layoutDot(const DotGraph &dot, const Playbook &playbook)
{
    return layoutDotNamed(dot, playbook.id.value);
}

std::variant<Layout, QString> layoutDot(const DotGraph &dot, const DotGraph &fallback,
                                        const Playbook &playbook)
{
    return layoutWritten(dot, fallback, playbook.id.value);
}

std::variant<Layout, QString> layoutPlaybook(const Playbook &playbook, const LayoutOptions &options)
{
    const DotGraph grouped = writeDot(playbook, options, LaneTies::Grouped);
    return layoutWritten(grouped, withPlainTies(grouped), playbook.id.value);
}

std::variant<Layout, QString> layoutPlaybook(PlaybookPtr &&playbook, const LayoutOptions &options)
{
    const DotGraph grouped = writeDot(*playbook, options, LaneTies::Grouped);
    playbook.reset(); // the last reference, usually: not in memory beside Graphviz's graph
    return layoutWritten(grouped, withPlainTies(grouped), grouped.id);
}

} // namespace runlane
