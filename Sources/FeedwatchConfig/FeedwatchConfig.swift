// Loading and validating the TOML config, with diagnostics that name file:line:column.
//
// This file only names the module's job; the code lives beside it.
