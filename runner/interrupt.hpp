// Ctrl-C (SIGINT) and SIGTERM, from the first instant of conform: the first sets a flag that
// each stage of a run looks at (the mock's start-up, the engine, the transport, the quota), so
// the run still stops its mock, removes its temporary files and writes its reports, the cases
// it did not run marked so; a second ends conform at once.
#pragma once

#include <atomic>

namespace conform::interrupt {

// Installs the handlers (without SA_RESTART, so a blocking wait returns early).
void install();
// Back to the default dispositions, for commands that need not finish anything; a Ctrl-C
// already received ends conform now.
void uninstall();
// The flag the handlers set; for engine::RunOptions and the transport.
const std::atomic<bool>* flag();
bool requested();

}  // namespace conform::interrupt
