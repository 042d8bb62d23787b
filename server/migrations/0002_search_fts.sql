-- Trigram full-text index over dialogs.search, so `q` finds substrings through an index instead
-- of running instr() over every row of the seller (100 000 dialogs: ~500 ms → a few ms).
-- External content: the text stays in dialogs.search; the triggers keep the index in step.
CREATE VIRTUAL TABLE dialog_search USING fts5(
    search,
    content = 'dialogs',
    content_rowid = 'id',
    tokenize = 'trigram'
);

CREATE TRIGGER dialogs_search_ai AFTER INSERT ON dialogs BEGIN
    INSERT INTO dialog_search (rowid, search) VALUES (new.id, new.search);
END;

CREATE TRIGGER dialogs_search_ad AFTER DELETE ON dialogs BEGIN
    INSERT INTO dialog_search (dialog_search, rowid, search) VALUES ('delete', old.id, old.search);
END;

CREATE TRIGGER dialogs_search_au AFTER UPDATE OF search ON dialogs BEGIN
    INSERT INTO dialog_search (dialog_search, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO dialog_search (rowid, search) VALUES (new.id, new.search);
END;

INSERT INTO dialog_search (dialog_search) VALUES ('rebuild');
