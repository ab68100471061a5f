/* fwr-reviews-page.h: the Reviews page: a device's due and overdue reviews per scope, in a
 * month calendar and a list, its reviews, and the one selected: the rules in scope with their
 * findings, a keep, tighten or remove decision and reason per rule, progress, and the
 * supervisor's sign-off. */
#pragma once

#include <gtk/gtk.h>
#include <fwreview.h>

G_BEGIN_DECLS

#define FWR_TYPE_REVIEWS_PAGE (fwr_reviews_page_get_type ())
G_DECLARE_FINAL_TYPE (FwrReviewsPage, fwr_reviews_page, FWR, REVIEWS_PAGE, GtkWidget)

/* store is borrowed; device_id 0 shows no device. */
void        fwr_reviews_page_set_store       (FwrReviewsPage *self, FwrStore *store, gint64 device_id);
/* Reads the store again, keeping the selected review. */
void        fwr_reviews_page_reload          (FwrReviewsPage *self);
gboolean    fwr_reviews_page_select_review   (FwrReviewsPage *self, gint64 id);
/* 0 when none is selected. */
gint64      fwr_reviews_page_get_review_id   (FwrReviewsPage *self);
const char *fwr_reviews_page_get_signoff_comment (FwrReviewsPage *self);
/* Why signing off is refused to the user, NULL when allowed: the button's tooltip. */
void        fwr_reviews_page_set_signoff_reason (FwrReviewsPage *self, const char *reason);
/* For tests and screenshots. */
GtkWidget  *fwr_reviews_page_get_signoff_button (FwrReviewsPage *self);
double      fwr_reviews_page_get_progress    (FwrReviewsPage *self);
/* One line per due entry: "scope status". */
char       *fwr_reviews_page_dup_due_text    (FwrReviewsPage *self);
/* Highlights scope's entry in the due list, as a click does: the calendar shows its date. */
gboolean    fwr_reviews_page_select_due      (FwrReviewsPage *self, FwrReviewScope scope);
/* The calendar marking the due dates, and what the label under it says of its selected day. */
GtkCalendar *fwr_reviews_page_get_calendar   (FwrReviewsPage *self);
const char *fwr_reviews_page_get_day_text    (FwrReviewsPage *self);
/* (nullable) The due entry highlighted in the list. */
const FwrReviewDue *fwr_reviews_page_get_selected_due (FwrReviewsPage *self);

G_END_DECLS
