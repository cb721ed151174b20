"""Flask extensions, created unbound so no module needs the app to import them."""

from flask_babel import Babel
from flask_wtf import CSRFProtect

from directory.database import Database

db = Database()
babel = Babel()
csrf = CSRFProtect()
