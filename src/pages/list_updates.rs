//! What a live dialog change does to the list on screen: the row is replaced in place when that is
//! exact, and the list is loaded again (quietly, rows staying) when the change may move a row in or
//! out of the page. Pure, so the rules are tested without a browser.

use domain::api::{DialogListItem, ListQuery};
use domain::events::{DialogChange, EventKind};

/// The outcome of [`apply_change`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowUpdate {
    /// The rows were changed in place; nothing else to do.
    Applied,
    /// The page may now hold other rows (a new dialog, a row leaving the filter, the activity
    /// order): load it again.
    Reload,
    /// The change is not about anything this page shows.
    Unchanged,
}

/// Applies `change` (an event of `kind`) to the `rows` of the page that answers `query`.
pub fn apply_change(
    rows: &mut Vec<DialogListItem>,
    query: &ListQuery,
    kind: EventKind,
    change: &DialogChange,
) -> RowUpdate {
    let after = &change.dialog;
    let moves = query.by_activity && kind != EventKind::Read;
    let leaves_filter = query.status.is_some_and(|s| s != after.summary.status);
    match rows.iter().position(|r| r.summary.id == change.dialog_id) {
        Some(_) if leaves_filter => RowUpdate::Reload,
        // The most recent activity goes first: on the first page it is this row, exactly.
        Some(at) if moves && query.page <= 1 => {
            rows.remove(at);
            rows.insert(0, after.clone());
            RowUpdate::Applied
        }
        Some(_) if moves => RowUpdate::Reload,
        Some(at) => {
            if rows[at] == *after {
                RowUpdate::Unchanged
            } else {
                rows[at] = after.clone();
                RowUpdate::Applied
            }
        }
        None if kind == EventKind::Created => RowUpdate::Reload,
        None if moves && query.page <= 1 => RowUpdate::Reload,
        // A dialog that now matches the filter (say, answered while «Ждёт оценки» is shown).
        None if query.status == Some(after.summary.status) && kind != EventKind::Read => {
            RowUpdate::Reload
        }
        None => RowUpdate::Unchanged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::api::DialogSummary;
    use domain::status::DialogStatus;

    fn item(id: u64, status: DialogStatus, unread: u32) -> DialogListItem {
        DialogListItem {
            summary: DialogSummary {
                id,
                status,
                category_id: "c".into(),
                theme_id: "t".into(),
                category_name: "C".into(),
                theme_name: "T".into(),
                created_at: 0,
                updated_at: 0,
                closes_at: None,
                awaiting_rating: status == DialogStatus::Answered,
            },
            unread,
            last_activity_at: 0,
        }
    }

    fn change(after: DialogListItem) -> DialogChange {
        DialogChange {
            dialog_id: after.summary.id,
            status: after.summary.status,
            close_reason: None,
            dialog: after,
            message: None,
            follows: None,
            unread_dialogs: 1,
        }
    }

    fn ids(rows: &[DialogListItem]) -> Vec<u64> {
        rows.iter().map(|r| r.summary.id).collect()
    }

    #[test]
    fn an_answer_replaces_its_row_in_place_in_the_default_order() {
        let mut rows = vec![
            item(3, DialogStatus::Waiting, 0),
            item(2, DialogStatus::Waiting, 0),
        ];
        let answered = item(2, DialogStatus::Answered, 1);
        let q = ListQuery::default();
        let c = change(answered.clone());
        assert_eq!(
            apply_change(&mut rows, &q, EventKind::Message, &c),
            RowUpdate::Applied
        );
        assert_eq!(ids(&rows), vec![3, 2]);
        assert_eq!(rows[1], answered);
        // The same change again (a replay) changes nothing.
        assert_eq!(
            apply_change(&mut rows, &q, EventKind::Message, &c),
            RowUpdate::Unchanged
        );
    }

    #[test]
    fn by_activity_the_changed_row_goes_first_on_the_first_page_and_reloads_elsewhere() {
        let q = ListQuery {
            by_activity: true,
            ..ListQuery::default()
        };
        let mut rows = vec![
            item(3, DialogStatus::Waiting, 0),
            item(2, DialogStatus::Waiting, 0),
        ];
        let c = change(item(2, DialogStatus::Answered, 1));
        assert_eq!(
            apply_change(&mut rows, &q, EventKind::Message, &c),
            RowUpdate::Applied
        );
        assert_eq!(ids(&rows), vec![2, 3]);
        // Marked read: no activity, the order stays.
        let read = change(item(3, DialogStatus::Waiting, 0));
        assert_eq!(
            apply_change(&mut rows, &q, EventKind::Read, &read),
            RowUpdate::Unchanged
        );
        assert_eq!(ids(&rows), vec![2, 3]);
        // A row of another page comes to the first one.
        let elsewhere = change(item(9, DialogStatus::Answered, 1));
        assert_eq!(
            apply_change(&mut rows, &q, EventKind::Message, &elsewhere),
            RowUpdate::Reload
        );
        let second = ListQuery { page: 2, ..q };
        assert_eq!(
            apply_change(&mut rows, &second, EventKind::Message, &c),
            RowUpdate::Reload
        );
    }

    #[test]
    fn filters_reload_when_a_row_leaves_or_enters_them() {
        let answered_only = ListQuery {
            status: Some(DialogStatus::Answered),
            ..ListQuery::default()
        };
        let mut rows = vec![item(2, DialogStatus::Answered, 1)];
        let rated = change(item(2, DialogStatus::Closed, 0));
        assert_eq!(
            apply_change(&mut rows, &answered_only, EventKind::Status, &rated),
            RowUpdate::Reload
        );
        let newly = change(item(5, DialogStatus::Answered, 1));
        assert_eq!(
            apply_change(&mut rows, &answered_only, EventKind::Message, &newly),
            RowUpdate::Reload
        );
        let other = change(item(6, DialogStatus::Waiting, 0));
        assert_eq!(
            apply_change(&mut rows, &answered_only, EventKind::Message, &other),
            RowUpdate::Unchanged
        );
    }

    #[test]
    fn a_new_dialog_reloads_and_a_change_off_the_page_does_nothing() {
        let mut rows = vec![item(2, DialogStatus::Waiting, 0)];
        let q = ListQuery::default();
        let created = change(item(7, DialogStatus::Waiting, 0));
        assert_eq!(
            apply_change(&mut rows, &q, EventKind::Created, &created),
            RowUpdate::Reload
        );
        let off_page = change(item(1, DialogStatus::Answered, 1));
        assert_eq!(
            apply_change(&mut rows, &q, EventKind::Message, &off_page),
            RowUpdate::Unchanged
        );
        assert_eq!(ids(&rows), vec![2]);
    }
}
