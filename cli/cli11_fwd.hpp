#pragma once
// CLI11's types as the headers name them, declared only. <CLI/CLI.hpp> costs several seconds in every
// file that includes it (the whole library is inline, and its validators are objects built in each
// file), so only the files that declare or parse flags include it; the rest see these names.
namespace CLI {
class App;
class Option;
class ParseError;
class FormatterBase;
}  // namespace CLI
