/* kubelint's own scanner for the block YAML most manifests are written in, included by
 * _fastyaml.c: it feeds the same builder as libyaml's events, with the same values and marks.
 *
 * Why: libyaml's scanner was three fifths of the C parse of a cold corpus run (0.34 s of
 * 0.57 s); it reads a character at a time through a decoded buffer, a token queue and a
 * parser state machine. Manifests (and the CRDs that are most of their bytes) use a small
 * part of YAML: block mappings and sequences, plain, quoted and block scalars, comments,
 * `---`. This scanner reads that part straight from the UTF-8 bytes. Its scalar readers are
 * libyaml 0.2.5's (scanner.c: scan_plain_scalar, scan_flow_scalar, scan_block_scalar), the
 * marks are those libyaml's events carry, and anything else (a tab, a carriage return, a
 * control character, an anchor, alias or tag, an explicit key, a directive, a flow collection
 * that is not a one-line list of scalars or `{}`, and every construct libyaml refuses) makes it
 * give up: build() then parses the text with libyaml from the start. tests/test_parser_fast.py
 * holds the two to the same documents and positions wherever this one answers.
 */

typedef struct {
    const unsigned char *s;
    size_t n; /* bytes */
    size_t p; /* the byte offset of the mark */
    yaml_mark_t m;
    char *buf; /* the scalar being read */
    size_t len, cap;
} Scan;

typedef struct {
    yaml_mark_t start, end;
    int plain;
    int multiline; /* a plain scalar that went on past its first line (libyaml's leading_blanks) */
} Token;

static unsigned char at(const Scan *S, size_t k) { return S->p + k < S->n ? S->s[S->p + k] : 0; }
static int blankz(unsigned char c) { return c == ' ' || c == '\n' || c == 0; }
static int eof(const Scan *S) { return S->p >= S->n; }

/* One character that is not a line break. */
static void step(Scan *S) {
    unsigned char c = S->s[S->p];
    S->p += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    S->m.index++;
    S->m.column++;
}

static void step_break(Scan *S) {
    S->p++;
    S->m.index++;
    S->m.line++;
    S->m.column = 0;
}

/* The mark moved to byte `to` of the same line. */
static void advance_to(Scan *S, size_t to) {
    size_t chars = to - S->p;
    for (size_t i = S->p; i < to; i++) chars -= (S->s[i] & 0xC0) == 0x80; /* UTF-8 continuation bytes */
    S->p = to;
    S->m.index += chars;
    S->m.column += chars;
}

/* The byte offset of the end of the mark's line (its line break, or the end of the text). */
static size_t line_end(const Scan *S) {
    const unsigned char *found = memchr(S->s + S->p, '\n', S->n - S->p);
    return found ? (size_t)(found - S->s) : S->n;
}

static int put(Scan *S, const void *data, size_t length) {
    if (S->len + length > S->cap) {
        size_t cap = (S->len + length) * 2 + 64;
        char *grown = PyMem_Realloc(S->buf, cap);
        if (grown == NULL) {
            PyErr_NoMemory();
            return FAILED;
        }
        S->buf = grown;
        S->cap = cap;
    }
    memcpy(S->buf + S->len, data, length);
    S->len += length;
    return 0;
}

static int put_char(Scan *S, char c) { return put(S, &c, 1); }

static int put_repeat(Scan *S, char c, size_t count) {
    for (size_t i = 0; i < count; i++)
        if (put_char(S, c) < 0) return FAILED;
    return 0;
}

/* Copy the character at the mark into the scalar and step past it. */
static int read_char(Scan *S) {
    size_t from = S->p;
    step(S);
    return put(S, S->s + from, S->p - from);
}

/* The text has nothing this scanner leaves to libyaml at the byte level: tabs, carriage
 * returns and other control characters, DEL, C1 controls (NEL among them), the line and
 * paragraph separators, U+FFFE/U+FFFF, and a byte-order mark (libyaml's reading of a second
 * one is its own). */
static int plain_bytes(const unsigned char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (c >= 0x20 && c < 0x7F) continue;
        if (c == '\n') continue;
        if (c < 0x80) return 0;
        if (c == 0xC2 && i + 1 < n && s[i + 1] < 0xA0) return 0;
        if (c == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) return 0;
        if (c == 0xEF && i + 2 < n && ((s[i + 1] == 0xBF && s[i + 2] >= 0xBE) || (s[i + 1] == 0xBB && s[i + 2] == 0xBF)))
            return 0;
    }
    return 1;
}

static int at_document_indicator(const Scan *S) {
    if (S->m.column != 0) return 0;
    unsigned char c = at(S, 0);
    return (c == '-' || c == '.') && at(S, 1) == c && at(S, 2) == c && blankz(at(S, 3));
}

/* libyaml's scan_to_next_token in the block context: spaces, comments and line breaks. */
static void skip_to_next_token(Scan *S) {
    for (;;) {
        while (at(S, 0) == ' ') step(S);
        if (at(S, 0) == '#') advance_to(S, line_end(S));
        if (at(S, 0) == '\n')
            step_break(S);
        else
            break;
    }
}

/* Spaces and a comment up to the end of the line: whether nothing else is on it. */
static int rest_of_line_blank(Scan *S) {
    while (at(S, 0) == ' ') step(S);
    if (at(S, 0) == '#') advance_to(S, line_end(S));
    return at(S, 0) == '\n' || eof(S);
}

/* The mark of libyaml's STREAM-END token (and of the block ends it unrolls): a new line forced. */
static yaml_mark_t stream_end_mark(const Scan *S) {
    yaml_mark_t mark = S->m;
    if (mark.column != 0) {
        mark.column = 0;
        mark.line++;
    }
    return mark;
}

/* The end mark of a block collection at column `col` that the end of the text closes: libyaml
 * closes those deeper than the last line's column at that column, and the rest once it has
 * forced a new line (see stream_end_mark). */
static yaml_mark_t eof_mark(const Scan *S, int col) {
    return col > (int)S->m.column ? S->m : stream_end_mark(S);
}

/* A quoted or block scalar's token begins at the mark, its indicator stepped over. */
static void begin_token(Scan *S, Token *t) {
    S->len = 0;
    t->start = S->m;
    t->plain = 0;
    t->multiline = 0;
    step(S);
}

/* libyaml 0.2.5's scan_plain_scalar, for `indent` (its parser->indent + 1), in the block
 * context when `flow` is 0; in a flow collection (one line) it gives up where libyaml's
 * reading of `:` differs between versions. */
static int scan_plain(Scan *S, int indent, int flow, Token *t) {
    size_t whitespaces = 0, trailing_breaks = 0;
    int leading_blanks = 0;
    S->len = 0;
    t->start = t->end = S->m;
    t->plain = 1;
    t->multiline = 0;
    for (;;) {
        if (at_document_indicator(S)) break;
        if (at(S, 0) == '#') break;
        while (!blankz(at(S, 0))) {
            unsigned char c = at(S, 0);
            if (flow && c == ':') return GIVE_UP;
            if (c == ':' && blankz(at(S, 1))) break;
            if (flow && (c == ',' || c == '[' || c == ']' || c == '{' || c == '}')) break;
            if (leading_blanks || whitespaces) {
                if (leading_blanks) {
                    if (trailing_breaks == 0) {
                        if (put_char(S, ' ') < 0) return FAILED;
                    } else if (put_repeat(S, '\n', trailing_breaks) < 0) {
                        return FAILED;
                    }
                    trailing_breaks = 0;
                    leading_blanks = 0;
                } else {
                    if (put_repeat(S, ' ', whitespaces) < 0) return FAILED;
                    whitespaces = 0;
                }
            }
            /* the character, and every one after it that goes on the scalar as it is */
            size_t from = S->p, to = S->p + 1;
            while (to < S->n) {
                unsigned char d = S->s[to];
                if (d == ' ' || d == '\n') break;
                if (d == ':' && (to + 1 >= S->n || blankz(S->s[to + 1]))) break;
                if (flow && (d == ':' || d == ',' || d == '[' || d == ']' || d == '{' || d == '}')) break;
                to++;
            }
            while (to < S->n && (S->s[to] & 0xC0) == 0x80) to++; /* never inside a character */
            advance_to(S, to);
            if (put(S, S->s + from, to - from) < 0) return FAILED;
            t->end = S->m;
        }
        if (!(at(S, 0) == ' ' || at(S, 0) == '\n')) break;
        while (at(S, 0) == ' ' || at(S, 0) == '\n') {
            if (at(S, 0) == ' ') {
                if (!leading_blanks) whitespaces++;
                step(S);
            } else {
                if (flow) return GIVE_UP; /* a flow collection over lines */
                if (!leading_blanks) {
                    whitespaces = 0;
                    leading_blanks = 1;
                    t->multiline = 1;
                } else {
                    trailing_breaks++;
                }
                step_break(S);
            }
        }
        if (!flow && (int)S->m.column < indent) break;
    }
    return 0;
}

static int hex_digit(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* libyaml 0.2.5's scan_flow_scalar: a single- or double-quoted scalar. */
static int scan_quoted(Scan *S, int single, Token *t) {
    size_t whitespaces = 0, trailing_breaks = 0;
    begin_token(S, t);
    for (;;) {
        if (at_document_indicator(S) || eof(S)) return GIVE_UP;
        int leading_blanks = 0, leading_break = 0;
        while (!blankz(at(S, 0))) {
            unsigned char c = at(S, 0);
            if (single && c == '\'' && at(S, 1) == '\'') {
                if (put_char(S, '\'') < 0) return FAILED;
                step(S);
                step(S);
            } else if (c == (single ? '\'' : '"')) {
                break;
            } else if (!single && c == '\\' && at(S, 1) == '\n') {
                step(S);
                step_break(S);
                leading_blanks = 1;
                break;
            } else if (!single && c == '\\') {
                size_t code_length = 0;
                const char *text = NULL;
                switch (at(S, 1)) {
                case '0': text = "\0"; break;
                case 'a': text = "\x07"; break;
                case 'b': text = "\x08"; break;
                case 't': text = "\x09"; break;
                case 'n': text = "\x0A"; break;
                case 'v': text = "\x0B"; break;
                case 'f': text = "\x0C"; break;
                case 'r': text = "\x0D"; break;
                case 'e': text = "\x1B"; break;
                case ' ': text = " "; break;
                case '"': text = "\""; break;
                case '/': text = "/"; break;
                case '\\': text = "\\"; break;
                case 'N': text = "\xC2\x85"; break;
                case '_': text = "\xC2\xA0"; break;
                case 'L': text = "\xE2\x80\xA8"; break;
                case 'P': text = "\xE2\x80\xA9"; break;
                case 'x': code_length = 2; break;
                case 'u': code_length = 4; break;
                case 'U': code_length = 8; break;
                default: return GIVE_UP; /* libyaml: unknown escape character */
                }
                if (text != NULL && put(S, text, text[0] == '\0' ? 1 : strlen(text)) < 0) return FAILED;
                step(S);
                step(S);
                if (code_length) {
                    unsigned int value = 0;
                    for (size_t k = 0; k < code_length; k++) {
                        int digit = hex_digit(at(S, k));
                        if (digit < 0) return GIVE_UP;
                        value = (value << 4) + (unsigned int)digit;
                    }
                    if ((value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF) return GIVE_UP;
                    unsigned char out[4];
                    size_t size;
                    if (value <= 0x7F) {
                        out[0] = (unsigned char)value;
                        size = 1;
                    } else if (value <= 0x7FF) {
                        out[0] = (unsigned char)(0xC0 + (value >> 6));
                        out[1] = (unsigned char)(0x80 + (value & 0x3F));
                        size = 2;
                    } else if (value <= 0xFFFF) {
                        out[0] = (unsigned char)(0xE0 + (value >> 12));
                        out[1] = (unsigned char)(0x80 + ((value >> 6) & 0x3F));
                        out[2] = (unsigned char)(0x80 + (value & 0x3F));
                        size = 3;
                    } else {
                        out[0] = (unsigned char)(0xF0 + (value >> 18));
                        out[1] = (unsigned char)(0x80 + ((value >> 12) & 0x3F));
                        out[2] = (unsigned char)(0x80 + ((value >> 6) & 0x3F));
                        out[3] = (unsigned char)(0x80 + (value & 0x3F));
                        size = 4;
                    }
                    if (put(S, out, size) < 0) return FAILED;
                    for (size_t k = 0; k < code_length; k++) step(S);
                }
            } else if (read_char(S) < 0) {
                return FAILED;
            }
        }
        if (at(S, 0) == (single ? '\'' : '"')) break;
        whitespaces = 0;
        while (at(S, 0) == ' ' || at(S, 0) == '\n') {
            if (at(S, 0) == ' ') {
                if (!leading_blanks) whitespaces++;
                step(S);
            } else {
                if (!leading_blanks) {
                    whitespaces = 0;
                    leading_blanks = leading_break = 1;
                } else {
                    trailing_breaks++;
                }
                step_break(S);
            }
            if (eof(S)) return GIVE_UP;
        }
        if (leading_blanks) {
            t->multiline = 1;
            if (leading_break && trailing_breaks == 0) {
                if (put_char(S, ' ') < 0) return FAILED;
            } else {
                /* an escaped line break (`\` at a line's end) joins with no space */
                if (put_repeat(S, '\n', trailing_breaks) < 0) return FAILED;
                trailing_breaks = 0;
            }
        } else {
            if (put_repeat(S, ' ', whitespaces) < 0) return FAILED;
            whitespaces = 0;
        }
    }
    step(S); /* the right quote */
    t->end = S->m;
    return 0;
}

/* libyaml 0.2.5's scan_block_scalar_breaks. */
static int block_breaks(Scan *S, int *indent, int parent_indent, size_t *breaks, yaml_mark_t *end) {
    int max_indent = 0;
    *end = S->m;
    for (;;) {
        while ((!*indent || (int)S->m.column < *indent) && at(S, 0) == ' ') step(S);
        if ((int)S->m.column > max_indent) max_indent = (int)S->m.column;
        if (at(S, 0) != '\n') break;
        (*breaks)++;
        step_break(S);
        *end = S->m;
    }
    if (!*indent) {
        *indent = max_indent;
        if (*indent < parent_indent + 1) *indent = parent_indent + 1;
        if (*indent < 1) *indent = 1;
    }
    return 0;
}

/* libyaml 0.2.5's scan_block_scalar, for a parent whose indentation is `parent_indent`. */
static int scan_block(Scan *S, int parent_indent, Token *t) {
    int literal = at(S, 0) == '|';
    int chomping = 0, increment = 0, indent = 0, leading_blank = 0, trailing_blank = 0;
    size_t leading_break = 0, trailing_breaks = 0;
    begin_token(S, t);
    unsigned char c = at(S, 0);
    if (c == '+' || c == '-') {
        chomping = c == '+' ? 1 : -1;
        step(S);
        c = at(S, 0);
        if (c >= '0' && c <= '9') {
            if (c == '0') return GIVE_UP;
            increment = c - '0';
            step(S);
        }
    } else if (c >= '0' && c <= '9') {
        if (c == '0') return GIVE_UP;
        increment = c - '0';
        step(S);
        c = at(S, 0);
        if (c == '+' || c == '-') {
            chomping = c == '+' ? 1 : -1;
            step(S);
        }
    }
    if (!rest_of_line_blank(S)) return GIVE_UP;
    if (at(S, 0) == '\n') step_break(S);
    t->end = S->m;
    if (increment) indent = parent_indent >= 0 ? parent_indent + increment : increment;
    block_breaks(S, &indent, parent_indent, &trailing_breaks, &t->end);
    while ((int)S->m.column == indent && !eof(S)) {
        trailing_blank = at(S, 0) == ' ';
        if (!literal && leading_break && !leading_blank && !trailing_blank) {
            if (trailing_breaks == 0 && put_char(S, ' ') < 0) return FAILED;
            leading_break = 0;
        } else {
            if (put_repeat(S, '\n', leading_break) < 0) return FAILED;
            leading_break = 0;
        }
        if (put_repeat(S, '\n', trailing_breaks) < 0) return FAILED;
        trailing_breaks = 0;
        leading_blank = at(S, 0) == ' ';
        size_t from = S->p;
        advance_to(S, line_end(S));
        if (put(S, S->s + from, S->p - from) < 0) return FAILED;
        if (at(S, 0) == '\n') {
            leading_break = 1;
            step_break(S);
        }
        block_breaks(S, &indent, parent_indent, &trailing_breaks, &t->end);
    }
    if (chomping != -1 && put_repeat(S, '\n', leading_break) < 0) return FAILED;
    if (chomping == 1 && put_repeat(S, '\n', trailing_breaks) < 0) return FAILED;
    return 0;
}

static int emit_scalar(Builder *b, Scan *S, const Token *t) {
    return scalar_text(b, S->buf ? S->buf : "", S->len, t->plain, t->start, t->end);
}

static int empty_scalar(Builder *b, yaml_mark_t mark) { return scalar_text(b, "", 0, 1, mark, mark); }

static int block_node(Scan *S, Builder *b, int parent_indent, int after_key, int max_depth);

/* A one-line flow sequence of scalars, or `{}`, at the mark. */
static int flow_node(Scan *S, Builder *b, int max_depth) {
    int is_map = at(S, 0) == '{';
    yaml_mark_t start = S->m;
    step(S);
    while (at(S, 0) == ' ') step(S);
    int status = push(b, is_map, start, max_depth);
    if (status) return status;
    if (is_map) {
        if (at(S, 0) != '}') return GIVE_UP;
        step(S);
        return pop(b, S->m);
    }
    for (;;) {
        unsigned char c = at(S, 0);
        if (c == ']') break;
        Token t;
        if (c == '"' || c == '\'') {
            status = scan_quoted(S, c == '\'', &t);
            if (status) return status;
            if (t.multiline || t.start.line != S->m.line) return GIVE_UP;
        } else {
            if (c == 0 || c == '\n' || strchr("-?:,[]{}#&*!|>'\"%@`", c) != NULL) return GIVE_UP;
            status = scan_plain(S, 0, 1, &t);
            if (status) return status;
        }
        status = emit_scalar(b, S, &t);
        if (status) return status;
        while (at(S, 0) == ' ') step(S);
        if (at(S, 0) == ',') {
            step(S);
            while (at(S, 0) == ' ') step(S);
        } else if (at(S, 0) != ']') {
            return GIVE_UP;
        }
    }
    step(S);
    return pop(b, S->m);
}

/* A key's scalar at the mark, in a mapping whose indentation is `indent`: the key and its
 * `:` found on this line, with the mark after the `:` in `value_mark`; GIVE_UP for anything
 * else (libyaml refuses it, or reads it in a way left to it). */
static int scan_key(Scan *S, int indent, Token *t, yaml_mark_t *value_mark) {
    unsigned char c = at(S, 0);
    int status;
    if (c == '"' || c == '\'') {
        status = scan_quoted(S, c == '\'', t);
        if (status) return status;
        if (t->start.line != S->m.line) return GIVE_UP;
        while (at(S, 0) == ' ') step(S);
    } else {
        if (c == 0 || c == '\n' || strchr(",[]{}#&*!|>'\"%@`", c) != NULL) return GIVE_UP;
        if ((c == '-' || c == '?' || c == ':') && blankz(at(S, 1))) return GIVE_UP;
        status = scan_plain(S, indent + 1, 0, t);
        if (status) return status;
        if (t->multiline) return GIVE_UP;
    }
    if (!(at(S, 0) == ':' && blankz(at(S, 1)))) return GIVE_UP;
    if (S->m.index - t->start.index > 1000) return GIVE_UP; /* libyaml's simple keys end at 1024 */
    step(S);
    *value_mark = S->m;
    return 0;
}

/* A block mapping at column `col`, its first key at the mark. */
static int block_mapping(Scan *S, Builder *b, int col, int max_depth) {
    int status = push(b, 1, S->m, max_depth);
    if (status) return status;
    for (;;) {
        Token key;
        yaml_mark_t value_mark;
        status = scan_key(S, col, &key, &value_mark);
        if (status) return status;
        status = emit_scalar(b, S, &key);
        if (status) return status;
        while (at(S, 0) == ' ') step(S);
        if (rest_of_line_blank(S)) { /* the value on the lines below, or none */
            skip_to_next_token(S);
            if (eof(S) || at_document_indicator(S)) {
                status = empty_scalar(b, value_mark);
            } else if ((int)S->m.column > col) {
                status = block_node(S, b, col, 0, max_depth);
            } else if ((int)S->m.column == col && at(S, 0) == '-' && blankz(at(S, 1))) {
                status = block_node(S, b, col, 0, max_depth); /* a sequence at its key's indentation */
            } else {
                status = empty_scalar(b, value_mark);
            }
        } else {
            status = block_node(S, b, col, 1, max_depth); /* on the key's line: a scalar or a flow node */
        }
        if (status) return status;
        if (eof(S)) return pop(b, eof_mark(S, col));
        if (at_document_indicator(S) || (int)S->m.column < col) return pop(b, S->m);
        if ((int)S->m.column > col) return GIVE_UP;
        if (at(S, 0) == '-' && blankz(at(S, 1))) return GIVE_UP;
    }
}

/* A block sequence at column `col`, its first `-` at the mark; `indentless` when it is a
 * mapping's value at the mapping's own indentation. */
static int block_sequence(Scan *S, Builder *b, int col, int indentless, int max_depth) {
    int status = push(b, 0, S->m, max_depth);
    if (status) return status;
    for (;;) {
        step(S); /* the `-` */
        yaml_mark_t dash_end = S->m;
        while (at(S, 0) == ' ') step(S);
        if (rest_of_line_blank(S)) {
            skip_to_next_token(S);
            if (!eof(S) && !at_document_indicator(S) && (int)S->m.column > col)
                status = block_node(S, b, col, 0, max_depth);
            else
                status = empty_scalar(b, dash_end);
        } else {
            if (at(S, 0) == '-' && blankz(at(S, 1))) return GIVE_UP; /* `- - a` */
            status = block_node(S, b, col, 0, max_depth);
        }
        if (status) return status;
        if (eof(S)) return pop(b, eof_mark(S, col));
        if (at_document_indicator(S) || (int)S->m.column < col) return pop(b, S->m);
        if ((int)S->m.column > col) return GIVE_UP;
        if (!(at(S, 0) == '-' && blankz(at(S, 1)))) return indentless ? pop(b, S->m) : GIVE_UP;
    }
}

/* A node at the mark (a token's start), in a parent whose indentation is `parent_indent`
 * (libyaml's parser->indent: -1 at the top); `after_key` when it stands on its key's line,
 * where no block collection may start. The mark is left at the next token after it. */
static int block_node(Scan *S, Builder *b, int parent_indent, int after_key, int max_depth) {
    unsigned char c = at(S, 0);
    int col = (int)S->m.column;
    int status;
    Token t;
    if (c == '-' && blankz(at(S, 1))) {
        if (after_key || col < parent_indent) return GIVE_UP;
        return block_sequence(S, b, col, col == parent_indent, max_depth);
    }
    if (c == '[' || c == '{') {
        status = flow_node(S, b, max_depth);
        if (status) return status;
        if (!rest_of_line_blank(S)) return GIVE_UP;
        skip_to_next_token(S);
        return 0;
    }
    if (c == '|' || c == '>') {
        status = scan_block(S, parent_indent, &t);
        if (status) return status;
        status = emit_scalar(b, S, &t);
        if (status) return status;
        skip_to_next_token(S);
        return 0;
    }
    if (c == 0 || c == '\n' || strchr(",]}#&*!%@`", c) != NULL) return GIVE_UP;
    if ((c == '?' || c == ':') && blankz(at(S, 1))) return GIVE_UP;
    /* A scalar, or the first key of a mapping: read it, and see what follows on its line. */
    Scan before = *S;
    if (c == '"' || c == '\'')
        status = scan_quoted(S, c == '\'', &t);
    else
        status = scan_plain(S, parent_indent + 1, 0, &t);
    if (status) return status;
    Scan probe = *S;
    while (at(&probe, 0) == ' ') step(&probe);
    if (at(&probe, 0) == ':' && blankz(at(&probe, 1))) {
        if (after_key || col <= parent_indent || (t.plain && t.multiline)) return GIVE_UP;
        before.buf = S->buf; /* the same buffer, perhaps grown since */
        before.cap = S->cap;
        *S = before;
        return block_mapping(S, b, col, max_depth);
    }
    status = emit_scalar(b, S, &t);
    if (status) return status;
    if (!t.plain && !rest_of_line_blank(S)) return GIVE_UP; /* `"a" b` */
    skip_to_next_token(S);
    return 0;
}

static int document_start(Builder *b, yaml_mark_t mark, Py_ssize_t index, Py_ssize_t defer_from);
static int document_end(Builder *b, yaml_mark_t end, Py_ssize_t *index, Py_ssize_t compact_from, PyObject *documents);

/* The whole text through this scanner: 0 with the documents built, GIVE_UP where libyaml must
 * read it, FAILED with a Python error set. */
static int scan_stream(Builder *b, const unsigned char *text, size_t size, Py_ssize_t defer_from,
                       Py_ssize_t compact_from, int max_depth, PyObject *documents, Py_ssize_t *index,
                       size_t *stream_end_line) {
    if (!plain_bytes(text, size)) return GIVE_UP;
    Scan S;
    memset(&S, 0, sizeof(S));
    S.s = text;
    S.n = size;
    int status = 0;
    skip_to_next_token(&S);
    int first = 1;
    while (status == 0 && !eof(&S)) {
        yaml_mark_t start = S.m;
        if (at_document_indicator(&S) && at(&S, 0) == '-') {
            step(&S);
            step(&S);
            step(&S);
            if (!rest_of_line_blank(&S)) {
                status = GIVE_UP; /* content on the `---` line */
                break;
            }
            skip_to_next_token(&S);
        } else if (!first || at_document_indicator(&S) || at(&S, 0) == '%') {
            status = GIVE_UP; /* a stray `...`, a directive, or content after a document */
            break;
        }
        first = 0;
        status = document_start(b, start, *index, defer_from);
        if (status) break;
        if (eof(&S) || at_document_indicator(&S)) { /* `---` and nothing: an empty document */
            status = empty_scalar(b, eof(&S) ? stream_end_mark(&S) : S.m);
        } else {
            status = block_node(&S, b, -1, 0, max_depth);
            if (status == 0 && !eof(&S) && !at_document_indicator(&S)) status = GIVE_UP;
        }
        if (status) break;
        yaml_mark_t end = eof(&S) ? stream_end_mark(&S) : S.m;
        if (!eof(&S) && at(&S, 0) == '.') {
            step(&S);
            step(&S);
            step(&S);
            end = S.m;
            if (!rest_of_line_blank(&S)) {
                status = GIVE_UP;
                break;
            }
            skip_to_next_token(&S);
            if (!eof(&S) && !(at_document_indicator(&S) && at(&S, 0) == '-')) {
                status = GIVE_UP; /* another `...`, or content without a `---` */
                break;
            }
        }
        status = document_end(b, end, index, compact_from, documents);
    }
    if (status == 0) *stream_end_line = stream_end_mark(&S).line;
    PyMem_Free(S.buf);
    return status;
}
