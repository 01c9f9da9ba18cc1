DROP INDEX meeting_items_decisions;
