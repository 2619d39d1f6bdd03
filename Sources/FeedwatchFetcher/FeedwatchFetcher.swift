// HTTP(S) fetching on libcurl's multi interface. The only module that imports libcurl.
//
// This file only names the module's job; the code lives beside it.
