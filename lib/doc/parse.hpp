#pragma once
// Reading manifests: YAML (one or more documents) or JSON, into doc::Node trees.
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "doc/node.hpp"

namespace shift::doc {

enum class Format { Yaml, Json };

struct Stream {
    Format format = Format::Yaml;
    std::string source;      // the text as read, for in-place edits
    std::vector<Node> docs;  // non-empty documents, in order
};

// JSON when the first non-blank character is `{` or `[`, else YAML. `name` (a file
// name, or "-" for stdin) prefixes error messages: "vs.yaml:7:3: invalid YAML: ...".
// Duplicate map keys are an error, as they are for kubectl.
Result<Stream> parse(std::string text, std::string_view name);

// The objects a stream holds: each document, or the items of a document of kind
// List (what `kubectl get -o yaml` prints for several objects).
std::vector<const Node*> objects(const Stream& stream);
std::vector<Node*> objects(Stream& stream);

// The two readers behind parse(), for callers that already know the format.
enum class DuplicateKeys { Reject, LastWins };
// Manifests reject duplicate keys, as kubectl's strict field validation does;
// kubeconfigs let the last one win, as client-go reads them.
Result<Stream> parseYaml(std::string text, std::string_view name,
                         DuplicateKeys duplicates = DuplicateKeys::Reject);
Result<Stream> parseJson(std::string text, std::string_view name);

// "name:line:col: invalid KIND: what; fix the file and retry" (line, col 1-based).
Error syntaxError(std::string_view name, std::string_view kind, int line, int column, std::string_view what);

}  // namespace shift::doc
