#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

#include <optional>

// The application's colours: the platform's own look, or Fusion with a light or a dark palette.
// Qt 6.4 has no colour-scheme API, so "dark" is read from the palette in use (its window colour),
// which is what custom-painted widgets follow.
namespace runlane::desktop {

enum class Theme { System, Light, Dark };

// "system", "light", "dark": the words stored in the settings.
QString toString(Theme theme);
std::optional<Theme> themeFromString(const QString &text);
// What the settings dialog shows.
QString displayName(Theme theme);

// Sets the style and palette of the QApplication. The first call remembers the platform's style
// and palette, so that System can be chosen again after Light or Dark.
void applyTheme(Theme theme);
// The theme last applied; System before any.
Theme currentTheme();

// Whether a palette is a dark one (its window colour); custom painting picks its colours by it.
bool isDark(const QPalette &palette);
// Whether the application's palette in use is dark.
bool isDarkTheme();
// Red text that reads on the theme in use (warnings, exceeded budgets).
QColor warningTextColor();

// The palettes applyTheme() sets for Light and Dark.
QPalette lightPalette();
QPalette darkPalette();

} // namespace runlane::desktop
