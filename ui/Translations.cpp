#include "Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QPointer>
#include <QTranslator>

namespace ors {

namespace {

// Owned by the application object; guarded, since a test's QApplication may be gone.
QList<QPointer<QTranslator>>& installed() {
    static QList<QPointer<QTranslator>> list;
    return list;
}

QTranslator* loaded(const QLocale& locale, const QString& name, const QString& folder) {
    auto* translator = new QTranslator(QCoreApplication::instance());
    if (translator->load(locale, name, QStringLiteral("_"), folder))
        return translator;
    delete translator;
    return nullptr;
}

struct ProcessWords {
    Q_DECLARE_TR_FUNCTIONS(ors::ProcessWords)
};

} // namespace

QString processLabel(ProcessType process) {
    switch (process) {
    case ProcessType::Sync:
        return ProcessWords::tr("sync");
    case ProcessType::Purge:
        return ProcessWords::tr("purge");
    case ProcessType::Reconcile:
        return ProcessWords::tr("reconcile");
    }
    return {};
}

QString processLabel(const QString& key) {
    for (ProcessType process : {ProcessType::Sync, ProcessType::Purge, ProcessType::Reconcile})
        if (key == processName(process))
            return processLabel(process);
    return key;
}

void removeTranslations() {
    for (const QPointer<QTranslator>& translator : installed()) {
        if (!translator)
            continue;
        QCoreApplication::removeTranslator(translator);
        delete translator.data();
    }
    installed().clear();
}

InstalledTranslation installTranslations(const QLocale& locale) {
    removeTranslations();
    InstalledTranslation out;
    for (const QString& language : locale.uiLanguages()) {
        const QLocale candidate(language);
        if (candidate.language() == QLocale::English || candidate.language() == QLocale::C)
            return out;
        QTranslator* own = loaded(candidate, QStringLiteral("openresync"), QStringLiteral(":/i18n"));
        if (!own)
            continue;
        // Qt's strings in the language the program speaks, not in whatever came first.
        const QLocale spoken(own->language());
        out.language = own->language();
        if (QTranslator* qt = loaded(spoken, QStringLiteral("qtbase"),
                                     QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
            QCoreApplication::installTranslator(qt);
            installed().append(qt);
            out.qtBase = true;
        }
        // Installed last, so it is asked first.
        QCoreApplication::installTranslator(own);
        installed().append(own);
        return out;
    }
    return out;
}

} // namespace ors
