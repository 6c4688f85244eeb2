// Re-rendering one document of a YAML stream, for routes line edits cannot follow
// (anchors, aliases, merge keys): the other documents stay byte for byte, and so do
// the comments before and after the re-rendered document's content.
#include "core/apply.hpp"
#include "doc/emit.hpp"

namespace shift::core {

std::string rerenderYamlDocument(const std::string& source, const std::vector<doc::Node>& docs,
                                 const Location& at, const doc::Node& merged) {
    auto all = docs;
    objectAt(all, at) = merged;
    const doc::Node& root = docs.at(at.doc);
    // A block document at column 0 spans [mark, end); anything else (a flow document, content on
    // the `---` line) is re-rendered with the stream.
    bool extent = root.mark.known() && root.end.known() && root.mark.column == 0 && !root.flow &&
                  (root.isMap() || root.isSeq()) && root.end.pos > root.mark.pos &&
                  root.end.pos <= source.size();
    if (!extent) return doc::toYamlStream(all);
    std::string text = doc::toYaml(all.at(at.doc));
    // The content ends on its last character; the source's own newline after it stays.
    if (source[root.end.pos - 1] != '\n' && !text.empty() && text.back() == '\n') text.pop_back();
    return source.substr(0, root.mark.pos) + text + source.substr(root.end.pos);
}

}  // namespace shift::core
