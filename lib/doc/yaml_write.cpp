// Block YAML in the layout go-yaml v2 (and so kubectl) prints.
#include "doc/emit.hpp"
#include "doc/scalar.hpp"

namespace shift::doc {
namespace {

// Characters (not bytes) since the last newline.
int currentColumn(const std::string& out) {
    std::size_t start = out.rfind('\n');
    start = start == std::string::npos ? 0 : start + 1;
    int column = 0;
    for (std::size_t i = start; i < out.size(); ++i) {
        if ((static_cast<unsigned char>(out[i]) & 0xC0) != 0x80) ++column;
    }
    return column;
}

void writeScalar(std::string& out, const Node& n, int indent) {
    if (n.isNull()) {
        out += "null";
    } else if (!n.quoted && resolvePlain(n.scalar) != ScalarType::String) {
        // A number, bool or null as written: 0x1F stays 0x1F. An empty one (a tagged empty value,
        // `!x`) is null, and written so: "key: " would read back as null but render differently.
        out += n.scalar.empty() ? std::string("null") : n.scalar;
    } else {
        scalar::writeYamlString(out, n.scalar, currentColumn(out), indent, false);
    }
}

void writeMap(std::string& out, const Node& m, int indent, bool inlineFirst);
void writeSeq(std::string& out, const Node& s, int indent, bool inlineFirst);

// The value after "key:" (afterDash false) or "-" (afterDash true); `indent` is that
// of the map or sequence holding it.
void writeValue(std::string& out, const Node& v, int indent, bool afterDash) {
    if ((v.isMap() || v.isSeq()) && v.items.empty()) {
        out += v.isMap() ? " {}\n" : " []\n";
    } else if (v.isMap()) {
        out += afterDash ? " " : "\n";
        writeMap(out, v, indent + 2, afterDash);
    } else if (v.isSeq()) {
        // A sequence under a map key sits at the key's indent; a nested one goes in.
        out += afterDash ? " " : "\n";
        writeSeq(out, v, afterDash ? indent + 2 : indent, afterDash);
    } else {
        out += ' ';
        writeScalar(out, v, indent + 2);
        if (out.back() != '\n') out += '\n';  // a `|` block ends its own line
    }
}

void writeMap(std::string& out, const Node& m, int indent, bool inlineFirst) {
    for (std::size_t i = 0; i < m.items.size(); ++i) {
        if (i > 0 || !inlineFirst) out.append(static_cast<std::size_t>(indent), ' ');
        std::string_view key = i < m.keys.size() ? std::string_view(m.keys[i]) : std::string_view();
        scalar::writeYamlString(out, key, indent, indent, true);
        out += ':';
        writeValue(out, m.items[i], indent, false);
    }
}

void writeSeq(std::string& out, const Node& s, int indent, bool inlineFirst) {
    for (std::size_t i = 0; i < s.items.size(); ++i) {
        if (i > 0 || !inlineFirst) out.append(static_cast<std::size_t>(indent), ' ');
        out += '-';
        writeValue(out, s.items[i], indent, true);
    }
}

// A scalar inside `{...}` or `[...]`: plain when go-yaml would write it plain and it holds no
// flow indicator, else double-quoted (JSON's escapes are YAML's).
void writeFlowScalar(std::string& out, const Node& n) {
    if (n.isNull()) {
        out += "null";
        return;
    }
    if (!n.quoted && resolvePlain(n.scalar) != ScalarType::String) {
        out += n.scalar;
        return;
    }
    std::string plain;
    scalar::writeYamlString(plain, n.scalar, 0, 0, true);
    if (!plain.empty() && plain == n.scalar && plain.find_first_of(",[]{}#:\n") == std::string::npos) {
        out += plain;
    } else {
        out += toJson(Node::string(n.scalar), 0);
    }
}

}  // namespace

std::string toFlowYaml(const Node& node) {
    std::string out;
    if (node.isMap()) {
        out += '{';
        for (std::size_t i = 0; i < node.items.size(); ++i) {
            if (i > 0) out += ", ";
            writeFlowScalar(out, Node::string(node.keys.at(i)));
            out += ": ";
            out += toFlowYaml(node.items[i]);
        }
        return out + '}';
    }
    if (node.isSeq()) {
        out += '[';
        for (std::size_t i = 0; i < node.items.size(); ++i) {
            if (i > 0) out += ", ";
            out += toFlowYaml(node.items[i]);
        }
        return out + ']';
    }
    writeFlowScalar(out, node);
    return out;
}

std::string toYaml(const Node& node) {
    std::string out;
    if ((node.isMap() || node.isSeq()) && node.items.empty()) {
        out = node.isMap() ? "{}\n" : "[]\n";
    } else if (node.isMap()) {
        writeMap(out, node, 0, false);
    } else if (node.isSeq()) {
        writeSeq(out, node, 0, false);
    } else {
        writeScalar(out, node, 2);
        if (out.empty() || out.back() != '\n') out += '\n';
    }
    return out;
}

std::string toYamlStream(const std::vector<Node>& docs) {
    std::string out;
    for (std::size_t i = 0; i < docs.size(); ++i) {
        if (i > 0) out += "---\n";
        out += toYaml(docs[i]);
    }
    return out;
}

}  // namespace shift::doc
