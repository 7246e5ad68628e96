"""Agenda screens, one module per screen: the day (day), booking (booking), one appointment
(appointment: detail, outcome, report, letters), the reception (reception), set-up (places),
calendar feeds (feeds) and indicators (indicators). Thin: doors open appointments, agendas and
slots (agenda/access.py), selectors read lists (agenda/selectors.py), services write."""
