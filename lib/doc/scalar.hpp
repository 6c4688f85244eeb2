#pragma once
// Scalar rules shared by the readers and writers of lib/doc: how go-yaml v2 (the
// YAML library under sigs.k8s.io/yaml and so under kubectl) reads a plain scalar,
// and how such a scalar becomes a JSON value.
#include <optional>
#include <string>
#include <string_view>

#include "doc/node.hpp"

namespace shift::doc::scalar {

// The value of a plain scalar that resolvePlain() calls Int, when it fits in 64
// bits (go-yaml tries int64, then uint64). Exactly one of the two is set.
struct IntValue {
    std::optional<long long> signedValue;
    std::optional<unsigned long long> unsignedValue;
};
IntValue parseInt(std::string_view text);

// A JSON number for a plain scalar that resolves to Int or Float, keeping its
// digits ("1e3" stays 1e3, a 23-digit integer keeps every digit) but in the form
// JSON requires (".5" -> 0.5, "+1" -> 1, "0x1F" -> 31, "1_000" -> 1000).
// nullopt for .inf and .nan, which JSON cannot hold.
std::optional<std::string> jsonNumber(std::string_view text);

// True for the YAML 1.1 spellings of true (yes, on, y, True...).
bool isTrue(std::string_view text);
// True for the YAML 1.1 spellings of false (no, off, n, False...).
bool isFalse(std::string_view text);

// go-yaml reads these as timestamps, and so quotes such strings when writing.
bool looksLikeTimestamp(std::string_view text);
// YAML 1.1 base 60 numbers (1:20): go-yaml quotes such strings too.
bool isBase60Float(std::string_view text);

// Appends the string `s` as go-yaml v2 writes a string: plain when it reads back
// as the same string, else single-quoted, double-quoted or a `|` block. `column` is
// where it starts on its line, `indent` where folded or block lines start; a key
// is never folded and never a block.
void writeYamlString(std::string& out, std::string_view s, int column, int indent, bool key);

}  // namespace shift::doc::scalar
