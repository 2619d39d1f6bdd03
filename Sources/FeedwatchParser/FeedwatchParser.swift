// Bytes to FeedDocument: encoding detection, RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed mapping, dates, HTML-to-text. The only module that imports libxml2.
//
// This file only names the module's job; the code lives beside it.
