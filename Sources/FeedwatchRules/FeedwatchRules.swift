// The rule language, Unicode text normalization and the one-pass matching engine.
//
// This file only names the module's job; the code lives beside it.
