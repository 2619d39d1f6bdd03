#ifndef FEEDWATCH_CLIBFUZZER_SHIM_H
#define FEEDWATCH_CLIBFUZZER_SHIM_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's documented entry for programs that keep their own `main`: parses libFuzzer's flags from
/// `argv` and fuzzes `callback`, exactly as libFuzzer's own `main` does. Linked from the fuzzer runtime
/// that `-sanitize=fuzzer` adds.
int LLVMFuzzerRunDriver(int *_Nonnull argc, char *_Nullable *_Nullable *_Nonnull argv,
                        int (*_Nonnull callback)(const uint8_t *_Nullable data, size_t size));

#endif
