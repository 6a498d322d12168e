"""Date, time and number formats of the service's languages (settings.FORMAT_MODULE_PATH).

Django's own "en" formats are American ("Dec. 16, 2026", "11:27 p.m."): Hong Kong writes English
dates day first with the month's full name and times on the 24-hour clock. The Chinese modules
only mend the month-and-day form, which Django pads ("05月3日").
"""
