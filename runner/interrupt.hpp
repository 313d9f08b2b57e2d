// Ctrl-C (SIGINT) and SIGTERM, from the first instant of conform: the first requests the run's
// stop, which each stage of a run answers to (the mock's start-up, the engine, the transport, the
// quota, every wait), so the run still stops its mock, removes its temporary files and writes
// its reports, the cases it did not run marked so; a second ends conform at once.
#pragma once

#include <stop_token>

namespace conform::interrupt {

// Installs the handlers (without SA_RESTART, so a blocking call returns early).
void install();
// Back to the default dispositions, for commands that need not finish anything; a Ctrl-C
// already received ends conform now.
void uninstall();
// The run's stop, requested by the first Ctrl-C; for engine::RunOptions and the transport.
std::stop_token token();
bool requested();
// After the run's stop: catches the next Ctrl-C too (instead of ending conform) and returns the
// stop it requests, for a last stage a second Ctrl-C should cut short (provisioned cleanup).
std::stop_token rearm();

}  // namespace conform::interrupt
