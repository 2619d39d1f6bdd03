// Durable state in SQLite and the append-only JSON Lines alert log.
//
// This file only names the module's job; the code lives beside it.
