#pragma once

#include "config/Config.h"

#include <QLocale>
#include <QString>
#include <QStringList>

namespace ors {

// The program's language: its own translation (:/i18n/openresync_<lang>.qm, embedded) and, for
// the same language, Qt's (qtbase_<lang>.qm from QLibraryInfo::TranslationsPath, Debian's
// qt6-translations-l10n), so QWizard's and QDialogButtonBox's buttons speak it too.

struct InstalledTranslation {
    QString language;    // "es"; empty when the UI stays in English
    bool qtBase = false; // Qt's own strings found for that language
};

// Walks locale.uiLanguages() in order (LANGUAGE=es:en, else LC_MESSAGES/LANG) and installs the
// first language the program is translated into. English anywhere before it wins: it is the
// source language, so nothing is installed. Replaces what an earlier call installed.
InstalledTranslation installTranslations(const QLocale& locale = QLocale());
// Back to English (tests switch languages within one process).
void removeTranslations();

// A process as text shows it, lower case: "sync", "purge", "reconcile" in the UI's language.
// processName() is the configuration's and the logs' key and stays English.
QString processLabel(ProcessType process);
// The same for a process key as results, failures and alerts carry it; unknown keys unchanged.
QString processLabel(const QString& key);

} // namespace ors
