#include "core/watch_event.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <optional>
#include <utility>

#include "doc/parse.hpp"

namespace shift::core {

namespace {

constexpr std::size_t kQuoted = 60;  // characters of a bad line quoted in the error

Error badEvent(std::string_view line, std::string_view why) {
    std::string shown(line.substr(0, kQuoted));
    if (line.size() > kQuoted) shown += "...";
    return fail(fmt::format("the server's watch stream sent {}: {}", why, shown), kExitApi);
}

std::optional<WatchEventType> typeNamed(const std::string& name) {
    if (name == "ADDED") return WatchEventType::Added;
    if (name == "MODIFIED") return WatchEventType::Modified;
    if (name == "DELETED") return WatchEventType::Deleted;
    if (name == "BOOKMARK") return WatchEventType::Bookmark;
    if (name == "ERROR") return WatchEventType::Error;
    return std::nullopt;
}

}  // namespace

Result<WatchEvent> decodeWatchEvent(std::string_view line) {
    auto parsed = doc::parseJson(std::string(line), "the server's watch event");
    if (!parsed || parsed->docs.size() != 1 || !parsed->docs.front().isMap())
        return badEvent(line, "a line that is not a JSON object");
    doc::Node& root = parsed->docs.front();
    const doc::Node* type = root.get("type");
    auto t = type ? typeNamed(type->str()) : std::nullopt;
    if (!t) return badEvent(line, "an event of no known type");
    doc::Node* object = root.get("object");
    if (!object || !object->isMap()) return badEvent(line, "an event without an object");
    WatchEvent e;
    e.type = *t;
    e.object = std::move(*object);
    if (e.type == WatchEventType::Error) {
        const doc::Node* code = e.object.get("code");
        e.code = code && code->isInteger() ? std::strtoll(code->str().c_str(), nullptr, 10) : 0;
        const doc::Node* message = e.object.get("message");
        e.message = message ? message->str() : std::string();
        return e;
    }
    const doc::Node* rv = e.object.at({"metadata", "resourceVersion"});
    if (!rv || rv->str().empty()) return badEvent(line, "an event without a resourceVersion");
    e.resourceVersion = rv->str();
    return e;
}

}  // namespace shift::core
