#pragma once

#include "http_message.h"

namespace runlane::fleetsim {

inline constexpr qsizetype kMaxBodyBytes = 1024 * 1024;
inline constexpr qsizetype kMaxHeaderBytes = 64 * 1024;

struct HttpParseResult
{
    enum class State { NeedMore, Complete, Invalid };
    State state = State::NeedMore;
    qsizetype consumed = 0;       // bytes the complete request took from the buffer
    int errorStatus = 0;          // with Invalid: 400, 413, 431 or 501
    QByteArray errorMessage;      // with Invalid
    bool expectsContinue = false; // headers read, body pending, client waits for "100 Continue"
};

// Reads one HTTP/1.x request from the start of `data` (request line, headers, a Content-Length
// body). Stateless: with NeedMore the caller keeps the bytes and calls again when more arrive.
HttpParseResult parseHttpRequest(QByteArrayView data, HttpRequest &request);

} // namespace runlane::fleetsim
