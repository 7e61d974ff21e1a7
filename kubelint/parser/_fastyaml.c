/* kubelint's parse of plain manifests, in C: libyaml's events straight into the objects and
 * the positions that builder.py makes, with no event or mark object in between.
 *
 * Why: the parse is half of a cold run, and most of it is PyYAML making two Mark objects and a
 * call into Python per event; libyaml itself takes a fifth of that time. This module handles the
 * manifests that need nothing but mappings, sequences and untagged scalars. Anything else (an
 * anchor, an alias, a tag, a merge key, a duplicate key, a key that is a mapping, an explicit
 * key in a flow sequence, a syntax error, a nesting deeper than the limit) makes `build` return
 * None, and
 * builder.py parses the text the whole way in Python, which stays the reference for every
 * result: the two must agree wherever this one answers (tests/test_parser_fast.py).
 *
 * The events come from this module's own scanner of block YAML (_blockscan.c, included below)
 * where it reads the text, and from libyaml where it gives way: the two give the same events.
 *
 * Positions are tuples of numbers, 0-based (line, column) pairs: (key start, key end, value
 * start, value end) for a mapping entry, (start, end) for a list item and the root, which
 * model.as_numbers reads as it reads the marks the Python builder keeps. The documents of a long
 * stream from `defer_from` on keep none: builder.py gives them a model.DeferredLayout.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h> /* first: its pyconfig.h sets _GNU_SOURCE, which declares memmem */
#include <yaml.h>
#ifndef _WIN32 /* the byte scan reads files the POSIX way; elsewhere the planner's Python scan does */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#define HAVE_SCAN_FILES 1
#endif

/* Set once by configure(): the Python builder's own tables and functions for scalars and keys. */
static PyObject *resolve_plain_fn = NULL; /* scalars.resolve_plain */
static PyObject *key_text_fn = NULL;      /* scalars._key_text */
static PyObject *words = NULL;            /* scalars._WORDS */
static PyObject *plain_text_start = NULL; /* scalars._PLAIN_TEXT_START */
static PyObject *numeric_start = NULL;    /* scalars._NUMERIC_START */
static PyObject *compact_fn = NULL;       /* builder._compact: packs a long stream's positions */
static char ascii_text[128];              /* first characters that make a plain scalar a string */
static char ascii_numeric[128];           /* first characters resolve_plain reads */
static PyObject *str_kind = NULL, *str_crd = NULL, *str_spec = NULL, *str_versions = NULL,
                *str_schema = NULL, *str_openapi = NULL, *str_validation = NULL;

typedef struct {
    PyObject *container; /* dict or list, owned */
    PyObject *path;      /* the container's path (a shared tuple), owned; NULL when light */
    PyObject *pos;       /* the positions of its children, owned; NULL when light or deferred */
    PyObject *key;       /* the pending key of a mapping, owned, or NULL */
    yaml_mark_t key_start, key_end, start;
    int is_map;
    int light; /* inside a CRD schema built without positions */
} Frame;

typedef struct {
    Frame *frames;
    Py_ssize_t depth, capacity;
    PyObject *positions;   /* this document's Layout, owned; NULL when its positions are deferred */
    PyObject *shared;      /* path -> path, across the documents of the text */
    PyObject *light_roots; /* this document's paths built light */
    PyObject *root;
    yaml_mark_t root_start, root_end, doc_start, light_start;
    PyObject *light_path;
    int light;
    /* The text as UTF-8, and a cursor that turns character indexes (libyaml's marks) into
     * byte offsets, moving forward only as the marks do. */
    const unsigned char *utf8;
    size_t size, cursor_char, cursor_byte;
} Builder;

/* The reason build() gives up: it is never an error to the caller, who parses in Python. */
#define GIVE_UP 1
#define FAILED -1

static int is_ascii_member(PyObject *set, int c) {
    char text[2] = {(char)c, 0};
    PyObject *ch = PyUnicode_FromString(text);
    if (ch == NULL) return FAILED;
    int found = PySequence_Contains(set, ch);
    Py_DECREF(ch);
    return found;
}

static PyObject *configure(PyObject *self, PyObject *args) {
    PyObject *resolve, *key_text, *w, *plain, *numeric, *compact;
    if (!PyArg_ParseTuple(args, "OOO!OOO", &resolve, &key_text, &PyDict_Type, &w, &plain, &numeric, &compact))
        return NULL;
    char text_table[128], numeric_table[128];
    for (int c = 0; c < 128; c++) {
        int found = is_ascii_member(plain, c);
        if (found < 0) return NULL;
        text_table[c] = (char)found;
        found = is_ascii_member(numeric, c);
        if (found < 0) return NULL;
        numeric_table[c] = (char)found;
    }
    memcpy(ascii_text, text_table, sizeof(ascii_text));
    memcpy(ascii_numeric, numeric_table, sizeof(ascii_numeric));
    Py_INCREF(resolve); Py_XSETREF(resolve_plain_fn, resolve);
    Py_INCREF(key_text); Py_XSETREF(key_text_fn, key_text);
    Py_INCREF(w); Py_XSETREF(words, w);
    Py_INCREF(plain); Py_XSETREF(plain_text_start, plain);
    Py_INCREF(numeric); Py_XSETREF(numeric_start, numeric);
    Py_INCREF(compact); Py_XSETREF(compact_fn, compact);
    Py_RETURN_NONE;
}

/* A number tuple of 2 or 4 marks. */
static PyObject *numbers(const yaml_mark_t *marks, int count) {
    PyObject *tuple = PyTuple_New(count * 2);
    if (tuple == NULL) return NULL;
    for (int i = 0; i < count; i++) {
        PyObject *line = PyLong_FromSize_t(marks[i].line);
        PyObject *column = line ? PyLong_FromSize_t(marks[i].column) : NULL;
        if (column == NULL) {
            Py_XDECREF(line);
            Py_DECREF(tuple);
            return NULL;
        }
        PyTuple_SET_ITEM(tuple, i * 2, line);
        PyTuple_SET_ITEM(tuple, i * 2 + 1, column);
    }
    return tuple;
}

static PyObject *key_as_text(PyObject *key) {
    if (PyUnicode_CheckExact(key)) {
        Py_INCREF(key);
        return key;
    }
    PyObject *text = PyObject_CallOneArg(key_text_fn, key);
    if (text != NULL && !PyUnicode_Check(text)) {
        Py_DECREF(text);
        PyErr_SetString(PyExc_TypeError, "_key_text gave no string");
        return NULL;
    }
    return text;
}

/* Put a finished node (a new reference, taken) into its parent, or make it the root. */
static int attach(Builder *b, PyObject *value, yaml_mark_t start, yaml_mark_t end, int is_container) {
    if (b->depth == 0) {
        b->root = value;
        b->root_start = start;
        b->root_end = end;
        return 0;
    }
    Frame *top = &b->frames[b->depth - 1];
    if (!top->is_map) {
        if (PyList_Append(top->container, value) < 0) goto fail;
        Py_DECREF(value);
        if (top->pos != NULL) {
            yaml_mark_t marks[2] = {start, end};
            PyObject *pos = numbers(marks, 2);
            if (pos == NULL) return FAILED;
            int failed = PyList_Append(top->pos, pos);
            Py_DECREF(pos);
            if (failed < 0) return FAILED;
        }
        return 0;
    }
    if (top->key == NULL) { /* a key */
        if (is_container) {
            Py_DECREF(value);
            return GIVE_UP; /* a mapping or list as a key: the Python builder says why not */
        }
        if (PyUnicode_CheckExact(value)) PyUnicode_InternInPlace(&value);
        top->key = value;
        top->key_start = start;
        top->key_end = end;
        return 0;
    }
    PyObject *key = key_as_text(top->key);
    Py_CLEAR(top->key);
    if (key == NULL) goto fail;
    int present = PyDict_Contains(top->container, key);
    if (present != 0) { /* a duplicate key: the Python builder reports it */
        Py_DECREF(key);
        Py_DECREF(value);
        return present < 0 ? FAILED : GIVE_UP;
    }
    if (PyDict_SetItem(top->container, key, value) < 0) {
        Py_DECREF(key);
        goto fail;
    }
    Py_DECREF(value);
    if (top->pos != NULL) {
        yaml_mark_t marks[4] = {top->key_start, top->key_end, start, end};
        PyObject *pos = numbers(marks, 4);
        if (pos == NULL) {
            Py_DECREF(key);
            return FAILED;
        }
        int failed = PyDict_SetItem(top->pos, key, pos);
        Py_DECREF(pos);
        if (failed < 0) {
            Py_DECREF(key);
            return FAILED;
        }
    }
    Py_DECREF(key);
    return 0;
fail:
    Py_DECREF(value);
    return FAILED;
}

/* The byte at character index `index` of the text (0 past its end). */
static unsigned char byte_at(Builder *b, size_t index) {
    if (index < b->cursor_char) {
        b->cursor_char = 0;
        b->cursor_byte = 0;
    }
    while (b->cursor_char < index && b->cursor_byte < b->size) {
        b->cursor_byte++; /* past the lead byte, then the continuation bytes */
        while (b->cursor_byte < b->size && (b->utf8[b->cursor_byte] & 0xC0) == 0x80) b->cursor_byte++;
        b->cursor_char++;
    }
    return b->cursor_byte < b->size ? b->utf8[b->cursor_byte] : 0;
}

/* Whether a mapping that starts in a flow sequence starts with an explicit key (`[ ? a ]`).
 * libyaml 0.2.5 and the later fix (840b65c, which PyYAML's wheels carry) read some of these
 * differently (`[ ? ] ]`): the Python builder, on PyYAML's libyaml, reads them all. */
static int explicit_key_in_flow_sequence(Builder *b, yaml_event_t *event) {
    if (b->depth == 0 || b->frames[b->depth - 1].is_map
        || event->data.mapping_start.style != YAML_FLOW_MAPPING_STYLE)
        return 0;
    return byte_at(b, event->start_mark.index) == '?';
}

static int is_text(PyObject *item, PyObject *text) {
    return PyUnicode_CheckExact(item) && PyUnicode_Compare(item, text) == 0;
}

/* spec.versions[n].schema.openAPIV3Schema or spec.validation.openAPIV3Schema */
static int is_schema_path(PyObject *path) {
    Py_ssize_t n = PyTuple_GET_SIZE(path);
    if (n == 5)
        return is_text(PyTuple_GET_ITEM(path, 4), str_openapi) && is_text(PyTuple_GET_ITEM(path, 3), str_schema)
               && is_text(PyTuple_GET_ITEM(path, 1), str_versions) && is_text(PyTuple_GET_ITEM(path, 0), str_spec)
               && PyLong_CheckExact(PyTuple_GET_ITEM(path, 2));
    if (n == 3)
        return is_text(PyTuple_GET_ITEM(path, 0), str_spec) && is_text(PyTuple_GET_ITEM(path, 1), str_validation)
               && is_text(PyTuple_GET_ITEM(path, 2), str_openapi);
    return 0;
}

static int push(Builder *b, int is_map, yaml_mark_t start, int max_depth) {
    if (b->depth >= max_depth) return GIVE_UP; /* the Python builder refuses it, with a finding */
    if (b->depth == b->capacity) {
        Py_ssize_t capacity = b->capacity ? b->capacity * 2 : 16;
        Frame *frames = PyMem_Realloc(b->frames, capacity * sizeof(Frame));
        if (frames == NULL) {
            PyErr_NoMemory();
            return FAILED;
        }
        b->frames = frames;
        b->capacity = capacity;
    }
    Frame *top = b->depth ? &b->frames[b->depth - 1] : NULL;
    PyObject *path = NULL;
    int light = top != NULL && top->light;
    if (!light) {
        Py_ssize_t n = top ? PyTuple_GET_SIZE(top->path) : 0;
        PyObject *part;
        if (top == NULL) {
            part = NULL;
        } else if (top->is_map) {
            if (top->key == NULL) return GIVE_UP; /* a mapping or list as a key */
            part = key_as_text(top->key);
            if (part == NULL) return FAILED;
        } else {
            part = PyLong_FromSsize_t(PyList_GET_SIZE(top->container));
            if (part == NULL) return FAILED;
        }
        PyObject *fresh = PyTuple_New(part ? n + 1 : 0);
        if (fresh == NULL) {
            Py_XDECREF(part);
            return FAILED;
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *item = PyTuple_GET_ITEM(top->path, i);
            Py_INCREF(item);
            PyTuple_SET_ITEM(fresh, i, item);
        }
        if (part) PyTuple_SET_ITEM(fresh, n, part);
        path = PyDict_SetDefault(b->shared, fresh, fresh); /* ("metadata",) once for every document */
        Py_DECREF(fresh);
        if (path == NULL) return FAILED;
        Py_INCREF(path);
        if (b->light && b->depth > 0 && b->frames[0].is_map && is_schema_path(path)) {
            PyObject *kind = PyDict_GetItemWithError(b->frames[0].container, str_kind);
            if (kind == NULL && PyErr_Occurred()) {
                Py_DECREF(path);
                return FAILED;
            }
            if (kind != NULL && PyUnicode_Check(kind) && PyUnicode_Compare(kind, str_crd) == 0) {
                light = 1;
                b->light_start = start;
                Py_XSETREF(b->light_path, path); /* the reference moves */
                path = NULL;
            }
        }
    } else if (top->is_map && top->key == NULL) {
        return GIVE_UP;
    }
    Frame *frame = &b->frames[b->depth];
    memset(frame, 0, sizeof(Frame));
    frame->container = is_map ? PyDict_New() : PyList_New(0);
    if (frame->container == NULL) {
        Py_XDECREF(path);
        return FAILED;
    }
    frame->is_map = is_map;
    frame->light = light;
    frame->start = start;
    if (!light) {
        frame->path = path;
    }
    if (!light && b->positions != NULL) {
        frame->pos = is_map ? PyDict_New() : PyList_New(0);
        if (frame->pos == NULL || PyDict_SetItem(b->positions, path, frame->pos) < 0) {
            Py_CLEAR(frame->container);
            Py_CLEAR(frame->pos);
            Py_CLEAR(frame->path);
            return FAILED;
        }
    }
    b->depth++;
    return 0;
}

static int pop(Builder *b, yaml_mark_t end) {
    Frame frame = b->frames[--b->depth];
    Py_XDECREF(frame.path);
    Py_XDECREF(frame.pos);
    Py_XDECREF(frame.key); /* none pending at a mapping's end, but for safety */
    yaml_mark_t start = frame.start;
    if (frame.light && (b->depth == 0 || !b->frames[b->depth - 1].light)) {
        /* the schema is whole: its own key and value keep their positions */
        if (PyList_Append(b->light_roots, b->light_path) < 0) {
            Py_DECREF(frame.container);
            return FAILED;
        }
        start = b->light_start;
    }
    return attach(b, frame.container, start, end, 1);
}

/* A scalar's value (UTF-8) into the document: `plain` when it was written unquoted. */
static int scalar_text(Builder *b, const char *text, size_t length, int plain, yaml_mark_t start, yaml_mark_t end) {
    PyObject *raw = PyUnicode_DecodeUTF8(text, (Py_ssize_t)length, "strict");
    if (raw == NULL) return FAILED;
    PyObject *value;
    if (!plain) {
        value = raw; /* quoted or block: a string */
    } else if (length == 0) {
        value = PyDict_GetItemWithError(words, raw);
        if (value == NULL && PyErr_Occurred()) goto fail;
        value = value ? value : raw;
        Py_INCREF(value);
        Py_DECREF(raw);
    } else {
        unsigned char first = (unsigned char)text[0];
        int text_start, numeric;
        if (first < 128) {
            text_start = ascii_text[first];
            numeric = ascii_numeric[first];
        } else {
            PyObject *ch = PyUnicode_Substring(raw, 0, 1);
            if (ch == NULL) goto fail;
            text_start = PySequence_Contains(plain_text_start, ch);
            numeric = text_start == 0 ? PySequence_Contains(numeric_start, ch) : 0;
            Py_DECREF(ch);
            if (text_start < 0 || numeric < 0) goto fail;
        }
        if (text_start) {
            value = raw; /* `image`, `nginx`: no number, bool or null starts so */
        } else if (numeric) {
            value = PyObject_CallOneArg(resolve_plain_fn, raw);
            Py_DECREF(raw);
            if (value == NULL) return FAILED;
        } else if (length == 2 && text[0] == '<' && text[1] == '<') {
            Py_DECREF(raw);
            return GIVE_UP; /* a merge key (or `<<` in a CRD schema): the Python builder */
        } else {
            value = PyDict_GetItemWithError(words, raw); /* `true`, `null`, `~`; `name` stays */
            if (value == NULL && PyErr_Occurred()) goto fail;
            value = value ? value : raw;
            Py_INCREF(value);
            Py_DECREF(raw);
        }
    }
    return attach(b, value, start, end, 0);
fail:
    Py_DECREF(raw);
    return FAILED;
}

static int scalar(Builder *b, yaml_event_t *event) {
    if (event->data.scalar.anchor != NULL || event->data.scalar.tag != NULL) return GIVE_UP;
    int plain = event->data.scalar.style == YAML_PLAIN_SCALAR_STYLE || event->data.scalar.style == YAML_ANY_SCALAR_STYLE;
    return scalar_text(b, (const char *)event->data.scalar.value, event->data.scalar.length, plain,
                       event->start_mark, event->end_mark);
}

static void clear_document(Builder *b) {
    while (b->depth > 0) {
        Frame *frame = &b->frames[--b->depth];
        Py_XDECREF(frame->container);
        Py_XDECREF(frame->path);
        Py_XDECREF(frame->pos);
        Py_XDECREF(frame->key);
    }
    Py_CLEAR(b->root);
    Py_CLEAR(b->positions);
    Py_CLEAR(b->light_path);
    if (b->light_roots) PyList_SetSlice(b->light_roots, 0, PyList_GET_SIZE(b->light_roots), NULL);
}

static int document_start(Builder *b, yaml_mark_t mark, Py_ssize_t index, Py_ssize_t defer_from) {
    b->doc_start = mark;
    if (index < defer_from) {
        b->positions = PyDict_New();
        if (b->positions == NULL) return FAILED;
    }
    return 0;
}

/* The document's entry (when it has a root), and the builder cleared for the next one. */
static int document_end(Builder *b, yaml_mark_t end, Py_ssize_t *index, Py_ssize_t compact_from, PyObject *documents) {
    int status = 0;
    if (b->root != NULL && b->positions != NULL && *index >= compact_from) {
        PyObject *packed = PyObject_CallOneArg(compact_fn, b->positions);
        if (packed == NULL) return FAILED; /* the document is cleared at the end */
        Py_DECREF(packed);
    }
    if (b->root != NULL) {
        yaml_mark_t marks[2] = {b->root_start, b->root_end};
        PyObject *root_pos = numbers(marks, 2);
        PyObject *light_paths = root_pos ? PyList_AsTuple(b->light_roots) : NULL;
        PyObject *entry = light_paths ? Py_BuildValue(
            "(nOOnnOOnn)", *index, b->root, b->positions ? b->positions : Py_None,
            (Py_ssize_t)b->doc_start.line, (Py_ssize_t)b->doc_start.column, root_pos, light_paths,
            (Py_ssize_t)b->doc_start.index, (Py_ssize_t)end.index) : NULL;
        Py_XDECREF(root_pos);
        Py_XDECREF(light_paths);
        if (entry == NULL || PyList_Append(documents, entry) < 0) status = FAILED;
        Py_XDECREF(entry);
    }
    clear_document(b);
    (*index)++;
    return status;
}

#include "_blockscan.c"

/* build(text, light, defer_from, compact_from, max_depth) -> (documents, documents_seen, stream_end_line) or None
 *
 * documents: one tuple per document with a root, (index, obj, positions, start line, start
 * column, root position, light paths, start index, end index), the index counted from 0, the
 * lines from the text's first, the indexes in characters. From document `compact_from` on, the
 * positions are packed into ints as each document ends (a long stream stays small, as with
 * builder.py's own parse, whose _compact does it). From document `defer_from` on,
 * positions are None: builder.py reads them again when asked (model.DeferredLayout). None
 * when the text needs the Python builder (see the top of this file).
 */
static PyObject *build(PyObject *self, PyObject *args) {
    PyObject *text;
    int light;
    Py_ssize_t defer_from, compact_from;
    int max_depth;
    int scanner = 1; /* 1: this module's scanner, libyaml where it gives up; 0: libyaml only; 2: the scanner only */
    if (!PyArg_ParseTuple(args, "Upnni|i", &text, &light, &defer_from, &compact_from, &max_depth, &scanner))
        return NULL;
    if (resolve_plain_fn == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "configure() first");
        return NULL;
    }
    /* An ASCII text is its own UTF-8. Another is encoded into a bytes object freed after the
     * parse: PyUnicode_AsUTF8AndSize would keep a copy in the str for as long as it lives. */
    Py_ssize_t size;
    const char *utf8;
    PyObject *encoded = NULL;
    if (PyUnicode_IS_ASCII(text)) {
        utf8 = (const char *)PyUnicode_DATA(text);
        size = PyUnicode_GET_LENGTH(text);
    } else {
        encoded = PyUnicode_AsUTF8String(text);
        if (encoded == NULL) {
            if (!PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) return NULL; /* MemoryError */
            PyErr_Clear(); /* a lone surrogate: the Python builder reports it */
            Py_RETURN_NONE;
        }
        utf8 = PyBytes_AS_STRING(encoded);
        size = PyBytes_GET_SIZE(encoded);
    }
    Builder b;
    memset(&b, 0, sizeof(b));
    b.light = light;
    b.utf8 = (const unsigned char *)utf8;
    b.size = (size_t)size;
    PyObject *documents = PyList_New(0);
    b.shared = PyDict_New();
    b.light_roots = PyList_New(0);
    PyObject *result = NULL;
    int status = (documents && b.shared && b.light_roots) ? 0 : FAILED;
    Py_ssize_t index = 0;
    size_t stream_end_line = 0;
    int done = 0;
    if (status == 0 && scanner) {
        status = scan_stream(&b, (const unsigned char *)utf8, (size_t)size, defer_from, compact_from, max_depth,
                             documents, &index, &stream_end_line);
        done = status == 0;
        if (status == GIVE_UP && scanner == 1) { /* libyaml reads it from the start */
            clear_document(&b);
            status = PyList_SetSlice(documents, 0, PyList_GET_SIZE(documents), NULL) < 0 ? FAILED : 0;
            index = 0;
            stream_end_line = 0;
            b.cursor_char = b.cursor_byte = 0;
        }
    }
    yaml_parser_t parser;
    int parser_ready = yaml_parser_initialize(&parser);
    if (!parser_ready) {
        PyErr_NoMemory();
        status = FAILED;
    } else {
        /* No yaml_parser_set_encoding: libyaml finds UTF-8 itself and then drops a leading BOM
         * without counting it, as it does for PyYAML's parser (a second BOM counts otherwise). */
        yaml_parser_set_input_string(&parser, (const unsigned char *)utf8, (size_t)size);
    }
    while (status == 0 && !done) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) {
            status = GIVE_UP; /* a syntax error: the Python builder says where and why */
            break;
        }
        switch (event.type) {
        case YAML_STREAM_END_EVENT:
            stream_end_line = event.start_mark.line;
            done = 1;
            break;
        case YAML_DOCUMENT_START_EVENT:
            status = document_start(&b, event.start_mark, index, defer_from);
            break;
        case YAML_DOCUMENT_END_EVENT:
            status = document_end(&b, event.end_mark, &index, compact_from, documents);
            break;
        case YAML_ALIAS_EVENT:
            status = GIVE_UP;
            break;
        case YAML_SCALAR_EVENT:
            status = scalar(&b, &event);
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            int is_map = event.type == YAML_MAPPING_START_EVENT;
            yaml_char_t *anchor = is_map ? event.data.mapping_start.anchor : event.data.sequence_start.anchor;
            yaml_char_t *tag = is_map ? event.data.mapping_start.tag : event.data.sequence_start.tag;
            if (anchor || tag || (is_map && explicit_key_in_flow_sequence(&b, &event)))
                status = GIVE_UP;
            else
                status = push(&b, is_map, event.start_mark, max_depth);
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            status = pop(&b, event.end_mark);
            break;
        default:
            break;
        }
        yaml_event_delete(&event);
    }
    if (parser_ready) yaml_parser_delete(&parser);
    if (status == 0)
        result = Py_BuildValue("(Onn)", documents, index, (Py_ssize_t)stream_end_line);
    else if (status == GIVE_UP) {
        PyErr_Clear();
        result = Py_None;
        Py_INCREF(result);
    }
    clear_document(&b);
    PyMem_Free(b.frames);
    Py_XDECREF(documents);
    Py_XDECREF(b.shared);
    Py_XDECREF(b.light_roots);
    Py_XDECREF(encoded);
    return result;
}

#ifdef HAVE_SCAN_FILES
/* ---------------------------------------------------------------- the planner's byte scan
 *
 * What engine/passes.py's _scan_bytes reads in each file of a run before anything is parsed
 * (the API groups its apiVersions name, whether it may define CRDs and of which groups, whether
 * a Pod Security label appears), for a whole list of files with the GIL released: the planner
 * runs it on a thread while the main thread sorts out projects, rules and renders, so the scan
 * of a tree's bytes (70 ms of the corpus's serial start) costs no wall time. Its matching is
 * the Python scan's regular expressions written out, and tests/test_parser_fast.py holds the
 * two to the same answers. */

static int is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static int is_alnum(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Distinct names, NUL-separated (a name is [A-Za-z0-9][A-Za-z0-9.-]*: never a NUL). */
typedef struct {
    char *data;
    size_t length, capacity;
    Py_ssize_t count;
} Names;

static int names_add(Names *names, const char *text, size_t length) {
    const char *at = names->data;
    for (Py_ssize_t i = 0; i < names->count; i++) {
        size_t known = strlen(at);
        if (known == length && memcmp(at, text, length) == 0) return 0;
        at += known + 1;
    }
    if (names->length + length + 1 > names->capacity) {
        size_t capacity = (names->length + length + 1) * 2 + 64;
        char *data = realloc(names->data, capacity);
        if (data == NULL) return -1;
        names->data = data;
        names->capacity = capacity;
    }
    memcpy(names->data + names->length, text, length);
    names->data[names->length + length] = '\0';
    names->length += length + 1;
    names->count++;
    return 0;
}

/* `word["']?\s*:\s*["']?([A-Za-z0-9][A-Za-z0-9.-]*)` matched at `at` (the word is there), and
 * a `/` after the value when `slash`: the value's start and length, or 0. No backtracking can
 * find another match: each optional part, left out, leaves a character the next part refuses. */
static int word_value(const char *data, size_t size, size_t at, size_t word, int slash, size_t *start,
                      size_t *length) {
    size_t p = at + word;
    if (p < size && (data[p] == '"' || data[p] == '\'')) p++;
    while (p < size && is_space((unsigned char)data[p])) p++;
    if (p >= size || data[p] != ':') return 0;
    p++;
    while (p < size && is_space((unsigned char)data[p])) p++;
    if (p < size && (data[p] == '"' || data[p] == '\'')) p++;
    if (p >= size || !is_alnum((unsigned char)data[p])) return 0;
    size_t begin = p++;
    while (p < size && (is_alnum((unsigned char)data[p]) || data[p] == '.' || data[p] == '-')) p++;
    if (slash && (p >= size || data[p] != '/')) return 0;
    *start = begin;
    *length = p - begin;
    return 1;
}

/* Every value of `word` as word_value reads it, each occurrence of the word tried in turn. */
static int word_values(const char *data, size_t size, const char *word, int slash, Names *names) {
    size_t length = strlen(word);
    const char *hit = memmem(data, size, word, length);
    while (hit != NULL) {
        size_t at = (size_t)(hit - data), start, value;
        if (word_value(data, size, at, length, slash, &start, &value) && names_add(names, data + start, value) < 0)
            return -1;
        at += length;
        hit = at < size ? memmem(data + at, size - at, word, length) : NULL;
    }
    return 0;
}

/* documents.py's CRD_MARKER: kind["']?\s*:\s*["']?CustomResourceDefinition\b, anywhere. */
static int may_define_crds(const char *data, size_t size) {
    static const char crd[] = "CustomResourceDefinition";
    const size_t crd_length = sizeof(crd) - 1;
    const char *hit = memmem(data, size, "kind", 4);
    while (hit != NULL) {
        size_t p = (size_t)(hit - data) + 4;
        if (p < size && (data[p] == '"' || data[p] == '\'')) p++;
        while (p < size && is_space((unsigned char)data[p])) p++;
        if (p < size && data[p] == ':') {
            p++;
            while (p < size && is_space((unsigned char)data[p])) p++;
            if (p < size && (data[p] == '"' || data[p] == '\'')) p++;
            if (p + crd_length <= size && memcmp(data + p, crd, crd_length) == 0) {
                size_t end = p + crd_length;
                unsigned char next = end < size ? (unsigned char)data[end] : 0;
                if (end >= size || !(is_alnum(next) || next == '_')) return 1;
            }
        }
        size_t from = (size_t)(hit - data) + 4;
        hit = from < size ? memmem(data + from, size - from, "kind", 4) : NULL;
    }
    return 0;
}

typedef struct {
    int readable, crd, pod_security;
    Names groups, crd_groups;
} Scanned;

/* The file's bytes into *buffer (grown as needed), as source.read_bytes reads them: a regular
 * file of at most max_bytes. 0 when it cannot be read so. */
static int read_file(const char *path, size_t max_bytes, char **buffer, size_t *capacity, size_t *size) {
    struct stat info;
    if (stat(path, &info) != 0 || !S_ISREG(info.st_mode) || (size_t)info.st_size > max_bytes) return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    size_t total = 0;
    for (;;) {
        if (total + 65536 > *capacity) {
            size_t wanted = total + 65536 > (size_t)info.st_size + 1 ? total + 65536 : (size_t)info.st_size + 1;
            char *grown = realloc(*buffer, wanted);
            if (grown == NULL) {
                close(fd);
                return 0;
            }
            *buffer = grown;
            *capacity = wanted;
        }
        ssize_t got = read(fd, *buffer + total, *capacity - total);
        if (got < 0) {
            if (errno == EINTR) continue;
            close(fd);
            return 0;
        }
        if (got == 0) break;
        total += (size_t)got;
        if (total > max_bytes) {
            close(fd);
            return 0;
        }
    }
    close(fd);
    *size = total;
    return 1;
}

static PyObject *names_tuple(const Names *names) {
    PyObject *tuple = PyTuple_New(names->count);
    const char *at = names->data;
    for (Py_ssize_t i = 0; tuple != NULL && i < names->count; i++) {
        PyObject *name = PyUnicode_DecodeASCII(at, (Py_ssize_t)strlen(at), "strict");
        if (name == NULL) {
            Py_CLEAR(tuple);
            break;
        }
        PyTuple_SET_ITEM(tuple, i, name);
        at += strlen(at) + 1;
    }
    return tuple;
}

/* scan_files(paths: tuple[bytes, ...], max_bytes) -> [None | (groups, may define CRDs, CRD groups,
 * Pod Security label)] in the order of `paths`; None for a file that cannot be read. */
static PyObject *scan_files(PyObject *self, PyObject *args) {
    PyObject *paths;
    Py_ssize_t max_bytes;
    if (!PyArg_ParseTuple(args, "O!n", &PyTuple_Type, &paths, &max_bytes)) return NULL;
    Py_ssize_t count = PyTuple_GET_SIZE(paths);
    for (Py_ssize_t i = 0; i < count; i++) {
        if (!PyBytes_Check(PyTuple_GET_ITEM(paths, i))) {
            PyErr_SetString(PyExc_TypeError, "paths must be bytes");
            return NULL;
        }
    }
    Scanned *found = PyMem_Calloc((size_t)(count ? count : 1), sizeof(Scanned));
    if (found == NULL) return PyErr_NoMemory();
    int failed = 0;
    Py_BEGIN_ALLOW_THREADS
    char *buffer = NULL;
    size_t capacity = 0, size = 0;
    for (Py_ssize_t i = 0; i < count && !failed; i++) {
        Scanned *entry = &found[i];
        /* the tuple and its bytes are immutable and held by the caller: safe to read unlocked */
        if (!read_file(PyBytes_AS_STRING(PyTuple_GET_ITEM(paths, i)), (size_t)max_bytes, &buffer, &capacity, &size))
            continue;
        entry->readable = 1;
        entry->pod_security = memmem(buffer, size, "pod-security.kubernetes.io/", 27) != NULL;
        entry->crd = may_define_crds(buffer, size);
        if (word_values(buffer, size, "apiVersion", 1, &entry->groups) < 0
            || (entry->crd && word_values(buffer, size, "group", 0, &entry->crd_groups) < 0))
            failed = 1;
    }
    free(buffer);
    Py_END_ALLOW_THREADS
    PyObject *result = failed ? NULL : PyList_New(count);
    if (failed) PyErr_NoMemory();
    for (Py_ssize_t i = 0; result != NULL && i < count; i++) {
        Scanned *entry = &found[i];
        PyObject *item = Py_None;
        Py_INCREF(item);
        if (entry->readable) {
            Py_DECREF(item);
            PyObject *groups = names_tuple(&entry->groups);
            PyObject *crd_groups = groups ? names_tuple(&entry->crd_groups) : NULL;
            item = crd_groups ? Py_BuildValue("(OOOO)", groups, entry->crd ? Py_True : Py_False, crd_groups,
                                              entry->pod_security ? Py_True : Py_False) : NULL;
            Py_XDECREF(groups);
            Py_XDECREF(crd_groups);
            if (item == NULL) Py_CLEAR(result);
        }
        if (result != NULL) PyList_SET_ITEM(result, i, item);
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        free(found[i].groups.data);
        free(found[i].crd_groups.data);
    }
    PyMem_Free(found);
    return result;
}
#endif /* HAVE_SCAN_FILES */

static PyObject *libyaml_version(PyObject *self, PyObject *unused) {
    return PyUnicode_FromString(yaml_get_version_string());
}

static PyMethodDef methods[] = {
    {"libyaml_version", libyaml_version, METH_NOARGS, "The version of libyaml this module runs on."},
    {"configure", configure, METH_VARARGS, "Take the builder's scalar tables and functions."},
    {"build", build, METH_VARARGS, "Parse a plain manifest text, or None for the Python builder."},
#ifdef HAVE_SCAN_FILES
    {"scan_files", scan_files, METH_VARARGS, "The planner's byte scan of files, the GIL released."},
#endif
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_fastyaml", NULL, -1, methods};

PyMODINIT_FUNC PyInit__fastyaml(void) {
    str_kind = PyUnicode_InternFromString("kind");
    str_crd = PyUnicode_InternFromString("CustomResourceDefinition");
    str_spec = PyUnicode_InternFromString("spec");
    str_versions = PyUnicode_InternFromString("versions");
    str_schema = PyUnicode_InternFromString("schema");
    str_openapi = PyUnicode_InternFromString("openAPIV3Schema");
    str_validation = PyUnicode_InternFromString("validation");
    if (!str_kind || !str_crd || !str_spec || !str_versions || !str_schema || !str_openapi || !str_validation)
        return NULL;
    return PyModule_Create(&module);
}
