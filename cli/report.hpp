#pragma once
// What shift tells the user: summaries, warnings, errors.
#include <cstdio>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/plan.hpp"

namespace shift::cli {

// One block per targeted rule: each destination's weight before and after.
std::string summaryText(const core::ShiftPlan& plan, bool bars, bool color);

// "error: ..." on stderr; returns the error's exit code.
int report(const Error& error);
void warn(const std::string& message);

// Writes text to a stream in full.
void emit(std::FILE* to, const std::string& text);

}  // namespace shift::cli
