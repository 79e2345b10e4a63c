#include "engine/export/diagram_painter.h"

namespace runlane {

// Both palettes keep body text above 7:1 and state colours above 3:1 against their background;
// state is also drawn as outline weight, dash and a marker, never by colour alone.
DiagramPalette DiagramPalette::light()
{
    DiagramPalette p;
    p.background = QColor(0xffffff);
    p.laneFill = QColor(0xf6f8fa);
    p.laneFillAlternate = QColor(0xeaeef2);
    p.laneBorder = QColor(0xc9d1d9);
    p.laneTitle = QColor(0x24292f);
    p.nodeFill = QColor(0xffffff);
    p.nodeBorder = QColor(0x57606a);
    p.nodeText = QColor(0x1f2328);
    p.icon = QColor(0x57606a);
    p.edge = QColor(0x6e7781);
    p.edgeLabel = QColor(0x393f46);
    p.edgeLabelBackground = QColor(255, 255, 255, 225);
    p.walked = QColor(0x0969da);
    p.current = QColor(0x0550ae);
    p.failed = QColor(0xcf222e);
    p.skipped = QColor(0x6e7781);
    p.pending = QColor(0x9a6700);
    p.selection = QColor(0x8250df);
    return p;
}

DiagramPalette DiagramPalette::dark()
{
    DiagramPalette p;
    p.background = QColor(0x0d1117);
    p.laneFill = QColor(0x161b22);
    p.laneFillAlternate = QColor(0x1c2128);
    p.laneBorder = QColor(0x30363d);
    p.laneTitle = QColor(0xe6edf3);
    p.nodeFill = QColor(0x22272e);
    p.nodeBorder = QColor(0x8b949e);
    p.nodeText = QColor(0xe6edf3);
    p.icon = QColor(0xadbac7);
    p.edge = QColor(0x8b949e);
    p.edgeLabel = QColor(0xc9d1d9);
    p.edgeLabelBackground = QColor(13, 17, 23, 225);
    p.walked = QColor(0x58a6ff);
    p.current = QColor(0x79c0ff);
    p.failed = QColor(0xff7b72);
    p.skipped = QColor(0x8b949e);
    p.pending = QColor(0xd29922);
    p.selection = QColor(0xd2a8ff);
    return p;
}

} // namespace runlane
