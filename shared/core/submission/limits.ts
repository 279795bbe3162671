/**
 * Limits that keep one hostile or mistaken upload from exhausting a Lambda.
 * The ingest function checks MAX_SUBMISSION_BYTES against the object size
 * before downloading; the parsers check again on the bytes they get.
 */
export const MAX_SUBMISSION_BYTES = 20 * 1024 * 1024;
/** Sum of an .xlsx's declared uncompressed entry sizes. A 100,000-row ledger is about 30 MiB of XML. */
export const MAX_XLSX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024;
/**
 * exceljs keeps every shared string in memory while it reads the sheets; this
 * caps that table. A 100,000-row ledger of unique names and numbers is ~10 MiB.
 */
export const MAX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024;
/** Deflate rarely beats 100:1 on real spreadsheets; a bomb is thousands to one. */
export const MAX_ZIP_ENTRY_RATIO = 200;
/** Entries smaller than this are never called a bomb, whatever their ratio (a sheet of blanks compresses well). */
export const ZIP_RATIO_FLOOR_BYTES = 1024 * 1024;
export const MAX_ZIP_ENTRIES = 2_000;
export const MAX_JSON_DEPTH = 32;
/** A JSON file's objects (ledger rows, mostly) and values, counted before parsing. */
/** MAX_LEDGER_ROWS (below) plus room for indicator and narrative objects. */
export const MAX_JSON_OBJECTS = 210_000;
export const MAX_JSON_VALUES = 3_000_000;
export const MAX_LEDGER_ROWS = 200_000;
/** After this many, parsing goes on but problems are no longer recorded (one summary problem says so). */
export const MAX_PROBLEMS = 500;

/**
 * Lengths that keep every stored item far below DynamoDB's 400 KB (counted in
 * UTF-8 bytes, at most 3 per UTF-16 unit): a ledger cell, an indicator's note
 * or typed value, a contact field; a narrative paragraph set; the text of a
 * problem (messages quote cells). test/unit/submission/storable.test.ts proves
 * the widest ledger row at these caps fits.
 */
export const MAX_CELL_CHARS = 2_000;
export const MAX_NARRATIVE_CHARS = 20_000;
export const MAX_PROBLEM_TEXT_CHARS = 1_000;
/** Sheet names, JSON paths and column labels carried into problems and stored sources. */
export const MAX_LOCATION_CHARS = 200;
