// The fetch, parse, match and record pipeline; scheduling, signals, systemd notify and metrics.
//
// This file only names the module's job; the code lives beside it.
