#pragma once
// One event of a Kubernetes watch stream, as kube-apiserver writes them, one JSON object a line:
//   {"type": "ADDED"|"MODIFIED"|"DELETED"|"BOOKMARK"|"ERROR", "object": {...}}
// A BOOKMARK's object carries only kind, apiVersion and metadata.resourceVersion; an ERROR's is a
// Status (code 410, reason Expired: the resourceVersion watched from was compacted away).
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "doc/node.hpp"

namespace shift::core {

enum class WatchEventType { Added, Modified, Deleted, Bookmark, Error };

struct WatchEvent {
    WatchEventType type = WatchEventType::Added;
    doc::Node object;             // the object, or the Status of an ERROR
    std::string resourceVersion;  // the object's metadata.resourceVersion ("" for an ERROR)
    long long code = 0;           // ERROR: the Status's code
    std::string message;          // ERROR: the Status's message
};

// Reads one line of a watch stream; an Error (kExitApi) for a line that is not a watch event.
Result<WatchEvent> decodeWatchEvent(std::string_view line);

}  // namespace shift::core
