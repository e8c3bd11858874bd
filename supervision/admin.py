# Nothing is registered on the admin site: due dates, submissions and 督办 change only through
# supervision.services (locks, notices, history), from the portal's own pages.
