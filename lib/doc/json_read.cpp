// JSON through nlohmann::json's SAX interface, building doc::Node directly so that
// numbers keep their text: a float arrives with its raw spelling, and an integer
// too large for 64 bits arrives as a float with its raw digits.
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "doc/parse.hpp"

namespace shift::doc {
namespace {

using json = nlohmann::json;
constexpr std::size_t kMaxDepth = 10000;

class Builder : public nlohmann::json_sax<json> {
   public:
    Node root;
    std::string error;  // set by a failed callback that nlohmann does not report
    int errorLine = 0, errorColumn = 0;

    bool null() override { return add(Node::null()); }
    bool boolean(bool v) override { return add(Node::plain(v ? "true" : "false")); }
    bool number_integer(number_integer_t v) override { return add(Node::plain(std::to_string(v))); }
    bool number_unsigned(number_unsigned_t v) override { return add(Node::plain(std::to_string(v))); }
    bool number_float(number_float_t, const string_t& raw) override { return add(Node::plain(raw)); }
    bool string(string_t& v) override { return add(Node::string(std::move(v))); }
    bool binary(binary_t&) override { return false; }  // not produced by JSON text

    bool start_object(std::size_t) override {
        if (tooDeep()) return false;
        stack_.push_back(Frame{Node::map(), {}});
        return true;
    }
    bool key(string_t& k) override {
        Frame& f = stack_.back();
        if (!f.seen.insert(k).second) {
            error = "duplicate key \"" + k + "\"";
            return false;
        }
        f.node.keys.push_back(std::move(k));
        return true;
    }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override {
        if (tooDeep()) return false;
        stack_.push_back(Frame{Node::seq(), {}});
        return true;
    }
    bool end_array() override { return close(); }

    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) override {
        // "[json.exception.parse_error.101] parse error at line 1, column 5: what"
        std::string what = ex.what();
        std::size_t col = what.find(", column ");
        std::size_t colon = col == std::string::npos ? std::string::npos : what.find(": ", col);
        error = colon == std::string::npos ? what : what.substr(colon + 2);
        // Other exceptions (a number overflow) carry only the "[json.exception.KIND.ID] " prefix.
        if (colon == std::string::npos && what.rfind("[json.exception.", 0) == 0 &&
            what.find("] ") != std::string::npos)
            error = what.substr(what.find("] ") + 2);
        if (const auto* pe = dynamic_cast<const nlohmann::detail::parse_error*>(&ex)) errorByte = pe->byte;
        return false;
    }

    std::size_t errorByte = 0;

   private:
    struct Frame {
        Node node;
        std::unordered_set<std::string> seen;
    };

    // Go's encoding/json limit, which kubectl inherits; deeper input would also overflow the stack
    // of every recursive walk over the tree.
    bool tooDeep() {
        if (stack_.size() < kMaxDepth) return false;
        error = "nesting exceeds the maximum depth of " + std::to_string(kMaxDepth);
        return true;
    }

    bool add(Node n) {
        if (stack_.empty()) {
            root = std::move(n);
        } else {
            stack_.back().node.items.push_back(std::move(n));
        }
        return true;
    }

    bool close() {
        Node n = std::move(stack_.back().node);
        stack_.pop_back();
        return add(std::move(n));
    }

    std::vector<Frame> stack_;
};

}  // namespace

Result<Stream> parseJson(std::string text, std::string_view name) {
    Stream out;
    out.format = Format::Json;
    out.source = std::move(text);
    Builder builder;
    bool ok = json::sax_parse(out.source, &builder);
    if (!ok) {
        int line = 0, column = 0;
        if (builder.errorByte > 0) {
            // nlohmann counts the byte it failed on from 1; find its line and column.
            std::size_t end = std::min(builder.errorByte - 1, out.source.size());
            line = 1;
            std::size_t lineStart = 0;
            for (std::size_t i = 0; i < end; ++i) {
                if (out.source[i] == '\n') ++line, lineStart = i + 1;
            }
            column = static_cast<int>(end - lineStart) + 1;
        }
        return syntaxError(name, "JSON", line, column,
                           builder.error.empty() ? "syntax error" : builder.error);
    }
    out.docs.push_back(std::move(builder.root));
    return out;
}

}  // namespace shift::doc
