// YAML through libyaml, the C parser go-yaml was ported from: it reads scalars and
// reports errors as kubectl does ("did not find expected key"), and parses a
// 3 MB manifest about 6x faster than yaml-cpp. Built when SHIFT_HAVE_LIBYAML is set.
#ifdef SHIFT_HAVE_LIBYAML
#include <yaml.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <vector>

#include "doc/parse.hpp"
#include "doc/tree_builder.hpp"

namespace shift::doc {
namespace {

// libyaml counts characters, not bytes; in-place edits need byte offsets. Text
// that is all ASCII (nearly every manifest) needs no conversion.
class Positions {
   public:
    explicit Positions(const std::string& s) : s_(s) {
        ascii_ = std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
        if (ascii_) return;
        lineStarts_.push_back(0);
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (s[i] == '\n') lineStarts_.push_back(i + 1);
        }
    }
    Mark operator()(const yaml_mark_t& m) const {
        Mark out{static_cast<int>(m.line), static_cast<int>(m.column), m.index};
        if (ascii_ || m.line >= lineStarts_.size()) return out;
        std::size_t pos = lineStarts_[m.line];
        for (std::size_t chars = 0; chars < m.column && pos < s_.size(); ++chars) {
            ++pos;
            while (pos < s_.size() && (static_cast<unsigned char>(s_[pos]) & 0xC0) == 0x80)
                ++pos;  // continuation
        }
        out.pos = pos;
        return out;
    }

   private:
    const std::string& s_;
    bool ascii_ = true;
    std::vector<std::size_t> lineStarts_;
};

yaml_mark_t markAt(const std::string& s, std::size_t offset) {
    offset = std::min(offset, s.size());
    yaml_mark_t m{};
    m.index = offset;
    auto lineStart = s.rfind('\n', offset == 0 ? 0 : offset - 1);
    m.line = static_cast<std::size_t>(
        std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
    m.column = lineStart == std::string::npos || offset == 0 ? offset : offset - lineStart - 1;
    return m;
}

std::string str(const yaml_char_t* s) {
    return s ? std::string(reinterpret_cast<const char*>(s)) : std::string();
}

bool isTag(const yaml_char_t* tag, const char* name) {
    return tag && std::strcmp(reinterpret_cast<const char*>(tag), name) == 0;
}

void scalar(detail::TreeBuilder& tree, const yaml_event_t& ev, const Positions& toMark) {
    const auto& s = ev.data.scalar;
    Node n;
    n.mark = toMark(ev.start_mark);
    n.end = toMark(ev.end_mark);
    n.scalar.assign(reinterpret_cast<const char*>(s.value), s.length);
    bool plain = s.style == YAML_PLAIN_SCALAR_STYLE;
    if (s.tag) {
        // An explicit tag decides: !!str (or the bare "!") makes a string.
        plain = !isTag(s.tag, YAML_STR_TAG) && !isTag(s.tag, "!");
    }
    if (plain && (isTag(s.tag, YAML_NULL_TAG) || (!s.tag && resolvePlain(n.scalar) == ScalarType::Null))) {
        n.scalar.clear();  // Kind::Null, as yaml-cpp reads ~, null and an empty value
    } else {
        n.kind = Kind::Scalar;
        n.quoted = !plain;
    }
    tree.value(std::move(n), str(s.anchor));
}

// Feeds every event to the tree; false with `ev` holding nothing on a parse error.
bool run(yaml_parser_t& parser, detail::TreeBuilder& tree, const Positions& toMark) {
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) return false;
        struct Guard {
            yaml_event_t* e;
            ~Guard() { yaml_event_delete(e); }
        } guard{&ev};
        switch (ev.type) {
            case YAML_STREAM_END_EVENT:
                return true;
            case YAML_DOCUMENT_START_EVENT:
                tree.startDocument();
                break;
            case YAML_DOCUMENT_END_EVENT:
                tree.endDocument();
                break;
            case YAML_ALIAS_EVENT:
                tree.alias(str(ev.data.alias.anchor), toMark(ev.start_mark), toMark(ev.end_mark));
                break;
            case YAML_SCALAR_EVENT:
                scalar(tree, ev, toMark);
                break;
            case YAML_SEQUENCE_START_EVENT: {
                Node n = Node::seq();
                n.mark = toMark(ev.start_mark);
                n.flow = ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
                tree.start(std::move(n), str(ev.data.sequence_start.anchor));
                break;
            }
            case YAML_MAPPING_START_EVENT: {
                Node n = Node::map();
                n.mark = toMark(ev.start_mark);
                n.flow = ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
                tree.start(std::move(n), str(ev.data.mapping_start.anchor));
                break;
            }
            case YAML_SEQUENCE_END_EVENT:
            case YAML_MAPPING_END_EVENT:
                tree.end(toMark(ev.end_mark));
                break;
            default:
                break;
        }
    }
}

}  // namespace

Result<Stream> parseYaml(std::string text, std::string_view name, DuplicateKeys duplicates) {
    Stream out;
    out.format = Format::Yaml;
    out.source = std::move(text);
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(out.source.data()),
                                 out.source.size());
    detail::TreeBuilder tree(duplicates == DuplicateKeys::LastWins);
    std::optional<Error> error;
    try {
        if (!run(parser, tree, Positions(out.source))) {
            yaml_mark_t m = parser.problem_mark;
            // The reader (bad UTF-8, control characters) gives a byte offset, not a mark.
            if (parser.error == YAML_READER_ERROR) m = markAt(out.source, parser.problem_offset);
            std::string what = parser.problem ? parser.problem : "syntax error";
            if (parser.context) what += std::string(" ") + parser.context;
            error =
                syntaxError(name, "YAML", static_cast<int>(m.line) + 1, static_cast<int>(m.column) + 1, what);
        }
    } catch (const detail::BuildError& e) {
        error = syntaxError(name, "YAML", e.mark.line + 1, e.mark.column + 1, e.what);
    }
    yaml_parser_delete(&parser);
    if (error) return *error;
    out.docs = std::move(tree.docs);
    return out;
}

}  // namespace shift::doc
#endif
