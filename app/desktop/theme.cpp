#include "app/desktop/theme.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>

#include <memory>

using namespace Qt::StringLiterals;

namespace runlane::desktop {

namespace {

const QString fusion = u"Fusion"_s;

// What the platform gave before the first applyTheme(): System goes back to it.
struct PlatformLook
{
    QString style;
    QPalette palette;
    bool paletteWasSet = false; // by the application itself, before any theme
};

std::optional<PlatformLook> &platformLook()
{
    static std::optional<PlatformLook> look;
    return look;
}

Theme &appliedTheme()
{
    static Theme theme = Theme::System;
    return theme;
}

void rememberPlatformLook()
{
    if (platformLook())
        return;
    platformLook() = PlatformLook{QApplication::style()->name(), QApplication::palette(),
                                  QCoreApplication::testAttribute(Qt::AA_SetPalette)};
}

void useStyle(const QString &name)
{
    if (name.isEmpty() || QApplication::style()->name().compare(name, Qt::CaseInsensitive) == 0)
        return;
    QApplication::setStyle(name);
}

void setGroups(QPalette &palette, QPalette::ColorRole role, const QColor &normal,
               const QColor &disabled)
{
    palette.setColor(QPalette::Active, role, normal);
    palette.setColor(QPalette::Inactive, role, normal);
    palette.setColor(QPalette::Disabled, role, disabled);
}

} // namespace

QString toString(Theme theme)
{
    switch (theme) {
    case Theme::System:
        break;
    case Theme::Light:
        return u"light"_s;
    case Theme::Dark:
        return u"dark"_s;
    }
    return u"system"_s;
}

std::optional<Theme> themeFromString(const QString &text)
{
    for (const Theme theme : {Theme::System, Theme::Light, Theme::Dark}) {
        if (text.compare(toString(theme), Qt::CaseInsensitive) == 0)
            return theme;
    }
    return std::nullopt;
}

QString displayName(Theme theme)
{
    switch (theme) {
    case Theme::System:
        break;
    case Theme::Light:
        return QApplication::translate("Theme", "Light");
    case Theme::Dark:
        return QApplication::translate("Theme", "Dark");
    }
    return QApplication::translate("Theme", "Same as the system");
}

QPalette lightPalette()
{
    const std::unique_ptr<QStyle> style(QStyleFactory::create(fusion));
    QPalette palette = style ? style->standardPalette() : QPalette(QColor(0xef, 0xef, 0xef));
    // Fusion's disabled text (#bebebe on #efefef) is barely there; this one stays readable.
    const QColor disabledText(0x85, 0x85, 0x85);
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        palette.setColor(QPalette::Disabled, role, disabledText);
    // White on Fusion's selection blue (#308cc6) is below 4.5:1.
    palette.setColor(QPalette::Active, QPalette::Highlight, QColor(0x25, 0x68, 0xb0));
    palette.setColor(QPalette::Inactive, QPalette::Highlight, QColor(0x25, 0x68, 0xb0));
    // Fusion's own links are a pure blue; this one reads better beside the diagram's colours.
    setGroups(palette, QPalette::Link, QColor(0x1a, 0x5f, 0xb4), QColor(0x7a, 0x9c, 0xc4));
    setGroups(palette, QPalette::LinkVisited, QColor(0x6b, 0x3f, 0xa0), QColor(0x9e, 0x8a, 0xb5));
    return palette;
}

QPalette darkPalette()
{
    const QColor window(0x2b, 0x2d, 0x30);
    const QColor text(0xdf, 0xe1, 0xe5);
    const QColor disabledText(0x7c, 0x80, 0x87); // dimmed, still readable on window and base
    QPalette palette;
    setGroups(palette, QPalette::Window, window, window);
    setGroups(palette, QPalette::WindowText, text, disabledText);
    setGroups(palette, QPalette::Base, QColor(0x1e, 0x1f, 0x22), QColor(0x26, 0x28, 0x2b));
    setGroups(palette, QPalette::AlternateBase, QColor(0x25, 0x27, 0x2a), QColor(0x2a, 0x2c, 0x2f));
    setGroups(palette, QPalette::Text, text, disabledText);
    setGroups(palette, QPalette::PlaceholderText, QColor(0x8c, 0x90, 0x96),
              QColor(0x63, 0x67, 0x6d));
    setGroups(palette, QPalette::Button, QColor(0x3a, 0x3d, 0x41), QColor(0x31, 0x33, 0x36));
    setGroups(palette, QPalette::ButtonText, text, disabledText);
    setGroups(palette, QPalette::BrightText, QColor(0xff, 0x80, 0x80), QColor(0xb0, 0x70, 0x70));
    setGroups(palette, QPalette::Light, QColor(0x50, 0x53, 0x59), QColor(0x45, 0x48, 0x4d));
    setGroups(palette, QPalette::Midlight, QColor(0x44, 0x47, 0x4c), QColor(0x3a, 0x3d, 0x41));
    setGroups(palette, QPalette::Mid, QColor(0x32, 0x34, 0x37), QColor(0x2e, 0x30, 0x33));
    setGroups(palette, QPalette::Dark, QColor(0x1a, 0x1b, 0x1e), QColor(0x1a, 0x1b, 0x1e));
    setGroups(palette, QPalette::Shadow, QColor(0x0c, 0x0c, 0x0e), QColor(0x0c, 0x0c, 0x0e));
    setGroups(palette, QPalette::Highlight, QColor(0x2f, 0x65, 0xca), QColor(0x45, 0x48, 0x4d));
    setGroups(palette, QPalette::HighlightedText, Qt::white, QColor(0xa6, 0xa9, 0xae));
    // An unfocused window keeps a visible but quieter selection.
    palette.setColor(QPalette::Inactive, QPalette::Highlight, QColor(0x3d, 0x4f, 0x70));
    setGroups(palette, QPalette::Link, QColor(0x72, 0xaa, 0xff), QColor(0x5a, 0x72, 0x96));
    setGroups(palette, QPalette::LinkVisited, QColor(0xc3, 0x9b, 0xff), QColor(0x82, 0x70, 0x9a));
    setGroups(palette, QPalette::ToolTipBase, QColor(0x45, 0x48, 0x4e), QColor(0x45, 0x48, 0x4e));
    setGroups(palette, QPalette::ToolTipText, QColor(0xf2, 0xf3, 0xf5), QColor(0xf2, 0xf3, 0xf5));
    return palette;
}

void applyTheme(Theme theme)
{
    rememberPlatformLook();
    const PlatformLook &platform = *platformLook();
    switch (theme) {
    case Theme::System:
        useStyle(platform.style);
        // A palette with nothing set hands the colours back to the platform (and its later
        // changes), unless the application had chosen its own before.
        QApplication::setPalette(platform.paletteWasSet ? platform.palette : QPalette());
        break;
    case Theme::Light:
        useStyle(fusion);
        QApplication::setPalette(lightPalette());
        break;
    case Theme::Dark:
        useStyle(fusion);
        QApplication::setPalette(darkPalette());
        break;
    }
    appliedTheme() = theme;
    // Widgets learn of a new application palette from posted events; delivering them now means
    // every widget (and isDark() of its palette) is in the new theme when this returns.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::ApplicationPaletteChange);
}

Theme currentTheme()
{
    return appliedTheme();
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

bool isDarkTheme()
{
    return isDark(QApplication::palette());
}

QColor warningTextColor()
{
    return isDarkTheme() ? QColor(0xf8, 0x71, 0x71) : QColor(0xb9, 0x1c, 0x1c);
}

} // namespace runlane::desktop
