//! Strings of the live updates: unread marks, the activity order, notifications, continuations.

use super::Locale;

pub struct LiveStrings {
    /// Beside an unread row's number, for screen readers (the mark itself is a dot).
    pub unread_mark: &'static str,
    /// The list order by last message or status change.
    pub sort_activity: &'static str,
    /// The label of the list's order control.
    pub sort_label: &'static str,
    pub sort_created_desc: &'static str,
    pub sort_created_asc: &'static str,
    /// Spoken after the date header's name (and in the table's caption) in the activity order.
    pub sort_state_activity: &'static str,
    /// The opt-in button; a toggle (`aria-pressed`), so its name stays the same when on.
    pub notify_button: &'static str,
    pub notify_on: &'static str,
    pub notify_off: &'static str,
    pub notify_denied: &'static str,
    pub notify_unsupported: &'static str,
    /// The system notification's title; its body is the dialog's number and theme.
    pub notification_title: &'static str,
    pub notification_dialog: &'static str,
    /// On a continuation: the dialog it continues.
    pub follows: &'static str,
    /// On the earlier dialog: the dialogs that continue it.
    pub followed_by: &'static str,
}

pub static RU: LiveStrings = LiveStrings {
    unread_mark: "новый ответ",
    sort_activity: "Последняя активность",
    sort_label: "Порядок",
    sort_created_desc: "Дата создания ↓",
    sort_created_asc: "Дата создания ↑",
    sort_state_activity: "сначала с последней активностью",
    notify_button: "Уведомлять о новых ответах",
    notify_on: "Уведомления включены: ответ поддержки придёт, даже когда вкладка в фоне.",
    notify_off: "Уведомления выключены.",
    notify_denied: "Браузер не разрешил уведомления для этого сайта. Разрешите их в настройках сайта в браузере и нажмите кнопку ещё раз. Новые ответы и так видны в списке.",
    notify_unsupported: "Этот браузер не показывает уведомления. Новые ответы видны в списке диалогов.",
    notification_title: "Поддержка ответила",
    notification_dialog: "Диалог №",
    follows: "Продолжает диалог №",
    followed_by: "Продолжение — диалог №",
};

pub static EN: LiveStrings = LiveStrings {
    unread_mark: "new answer",
    sort_activity: "Latest activity",
    sort_label: "Order",
    sort_created_desc: "Date created ↓",
    sort_created_asc: "Date created ↑",
    sort_state_activity: "latest activity first",
    notify_button: "Notify me of new answers",
    notify_on: "Notifications are on: support's answers reach you even when this tab is in the background.",
    notify_off: "Notifications are off.",
    notify_denied: "The browser does not allow notifications for this site. Allow them in the site settings of your browser and press the button again. New answers show in the list anyway.",
    notify_unsupported: "This browser does not show notifications. New answers show in the list of dialogs.",
    notification_title: "Support answered",
    notification_dialog: "Dialog",
    follows: "Continues dialog",
    followed_by: "Continued in dialog",
};

pub fn strings(l: Locale) -> &'static LiveStrings {
    match l {
        Locale::Ru => &RU,
        Locale::En => &EN,
    }
}
