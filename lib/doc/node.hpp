#pragma once
// The document tree shared by every part of shift: what a YAML or JSON manifest
// holds, in source order, with scalars kept exactly as written so that a value
// shift does not touch comes out as it went in ("1e3" stays 1e3, 0x1F stays 0x1F,
// a 30-digit integer keeps every digit).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace shift::doc {

// Where a node starts or ends in its source text (0-based; pos in bytes). Only YAML
// input sets it; the in-place editors use it to change single lines or values.
struct Mark {
    int line = -1;
    int column = -1;
    std::size_t pos = 0;
    bool known() const { return line >= 0; }
};

enum class Kind { Null, Scalar, Map, Seq };

struct Node {
    Kind kind = Kind::Null;
    // Scalar: the text as written for a plain scalar (YAML) or a number/true/false
    // (JSON); the decoded content for a quoted string.
    std::string scalar;
    bool quoted = false;            // scalar is a string whatever it looks like
    bool flow = false;              // collection written in flow style ({...} / [...]) in YAML
    bool shared = false;            // YAML: has an anchor, is an alias or merges one in (<<): its
                                    // text is read elsewhere too, so it is not edited line by line
    std::vector<std::string> keys;  // Map: keys[i] names items[i]
    std::vector<Node> items;        // Map values or Seq elements
    Mark mark;                      // start of this node in the source
    Mark end;                       // YAML: just past its last character (a block collection's
                                    // last value, not the comments or blank lines after it)
    std::vector<Mark> keyMarks;     // Map: where keys[i] starts in the source

    // Builders.
    static Node null() { return Node{}; }
    static Node string(std::string s) {
        Node n;
        n.kind = Kind::Scalar;
        n.scalar = std::move(s);
        n.quoted = true;
        return n;
    }
    static Node plain(std::string s) {
        Node n;
        n.kind = Kind::Scalar;
        n.scalar = std::move(s);
        return n;
    }
    static Node integer(long long v) { return plain(std::to_string(v)); }
    static Node map() {
        Node n;
        n.kind = Kind::Map;
        return n;
    }
    static Node seq() {
        Node n;
        n.kind = Kind::Seq;
        return n;
    }

    bool isMap() const { return kind == Kind::Map; }
    bool isSeq() const { return kind == Kind::Seq; }
    bool isScalar() const { return kind == Kind::Scalar; }
    bool isNull() const { return kind == Kind::Null; }

    // Map access: nullptr when absent or when this is not a map.
    const Node* get(std::string_view key) const;
    Node* get(std::string_view key);
    // Map: set key to value, keeping the key's position if present, else appending.
    Node& set(std::string_view key, Node value);
    // Map: remove key; returns whether it was there.
    bool erase(std::string_view key);
    // Follow a path of map keys; nullptr if any step is missing.
    const Node* at(std::initializer_list<std::string_view> path) const;

    // Scalar helpers. str(): the scalar text ("" for non-scalars and null).
    const std::string& str() const;
    // True for a plain scalar that YAML/JSON would read as an integer.
    bool isInteger() const;
};

// How a plain scalar reads in Kubernetes' YAML (sigs.k8s.io/yaml, YAML 1.1 rules),
// so JSON output and the YAML writer's quoting agree with kubectl.
enum class ScalarType { String, Int, Float, Bool, Null };
ScalarType resolvePlain(std::string_view text);

}  // namespace shift::doc
