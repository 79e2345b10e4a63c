#pragma once

#include <curl/curl.h>

#include <QString>

namespace runlane {

// libcurl's functions, loaded on first use rather than linked: the commands that send nothing
// (render, validate, test) then do not map libcurl and the TLS, SSH, LDAP and Kerberos libraries
// it pulls in, which cost about 6 MiB of resident memory at start-up.
struct CurlLibrary
{
    bool loaded = false;
    QString error; // why it could not be loaded

    decltype(&::curl_global_init) globalInit = nullptr;
    decltype(&::curl_easy_init) easyInit = nullptr;
    CURLcode (*easySetopt)(CURL *, CURLoption, ...) = nullptr;
    CURLcode (*easyGetinfo)(CURL *, CURLINFO, ...) = nullptr;
    decltype(&::curl_easy_cleanup) easyCleanup = nullptr;
    decltype(&::curl_easy_strerror) easyStrerror = nullptr;
    decltype(&::curl_slist_append) slistAppend = nullptr;
    decltype(&::curl_slist_free_all) slistFreeAll = nullptr;
    decltype(&::curl_multi_init) multiInit = nullptr;
    CURLMcode (*multiSetopt)(CURLM *, CURLMoption, ...) = nullptr;
    decltype(&::curl_multi_add_handle) multiAddHandle = nullptr;
    decltype(&::curl_multi_remove_handle) multiRemoveHandle = nullptr;
    decltype(&::curl_multi_perform) multiPerform = nullptr;
    decltype(&::curl_multi_poll) multiPoll = nullptr;
    decltype(&::curl_multi_wakeup) multiWakeup = nullptr;
    decltype(&::curl_multi_info_read) multiInfoRead = nullptr;
    decltype(&::curl_multi_cleanup) multiCleanup = nullptr;
};

// Loads libcurl 4 once (thread-safe) and runs curl_global_init; `loaded` says whether it worked.
const CurlLibrary &curlLibrary();

} // namespace runlane
