#include "actions/curl_library.h"

#include <QLibrary>

#include <mutex>

namespace runlane {

namespace {

template<class F> bool resolve(QLibrary &library, const char *name, F &function, QString *missing)
{
    function = reinterpret_cast<F>(library.resolve(name));
    if (!function && missing->isEmpty())
        *missing = QString::fromLatin1(name);
    return function != nullptr;
}

CurlLibrary load()
{
    CurlLibrary curl;
    static QLibrary library(QStringLiteral("curl"), 4); // libcurl.so.4, kept loaded
    if (!library.load()) {
        curl.error = QStringLiteral("libcurl could not be loaded: %1").arg(library.errorString());
        return curl;
    }
    QString missing;
    resolve(library, "curl_global_init", curl.globalInit, &missing);
    resolve(library, "curl_easy_init", curl.easyInit, &missing);
    resolve(library, "curl_easy_setopt", curl.easySetopt, &missing);
    resolve(library, "curl_easy_getinfo", curl.easyGetinfo, &missing);
    resolve(library, "curl_easy_cleanup", curl.easyCleanup, &missing);
    resolve(library, "curl_easy_strerror", curl.easyStrerror, &missing);
    resolve(library, "curl_slist_append", curl.slistAppend, &missing);
    resolve(library, "curl_slist_free_all", curl.slistFreeAll, &missing);
    resolve(library, "curl_multi_init", curl.multiInit, &missing);
    resolve(library, "curl_multi_setopt", curl.multiSetopt, &missing);
    resolve(library, "curl_multi_add_handle", curl.multiAddHandle, &missing);
    resolve(library, "curl_multi_remove_handle", curl.multiRemoveHandle, &missing);
    resolve(library, "curl_multi_perform", curl.multiPerform, &missing);
    resolve(library, "curl_multi_poll", curl.multiPoll, &missing);
    resolve(library, "curl_multi_wakeup", curl.multiWakeup, &missing);
    resolve(library, "curl_multi_info_read", curl.multiInfoRead, &missing);
    resolve(library, "curl_multi_cleanup", curl.multiCleanup, &missing);
    if (!missing.isEmpty()) {
        curl.error = QStringLiteral("libcurl is too old: it lacks %1 (7.68 or later is needed)")
                         .arg(missing);
        return curl;
    }
    if (curl.globalInit(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        curl.error = QStringLiteral("libcurl could not be initialised");
        return curl;
    }
    curl.loaded = true;
    return curl;
}

} // namespace

const CurlLibrary &curlLibrary()
{
    static std::once_flag once;
    static CurlLibrary curl;
    std::call_once(once, [] { curl = load(); });
    return curl;
}

} // namespace runlane
