"""The window's language: Simplified Chinese or English, chosen once and switchable at run time.

Which language: ``--lang`` for this run, else the choice remembered from *View → Language*,
else the system locale (``LANG=zh_CN.UTF-8`` gives Chinese). Installing a language loads the
app's ``token_inspector_<lang>.qm`` and Qt's own ``qtbase_<lang>.qm`` (standard buttons, file
dialogs), so Qt sends every widget a ``QEvent.LanguageChange``.

Widgets follow the switch with :class:`Retranslatable`: set every visible string in
``retranslate()``, call it once from ``__init__``; the mixin calls it again on a change::

    class DecodeIdsDialog(Retranslatable, QDialog):
        def __init__(self) -> None:
            super().__init__()
            self.title = QLabel()
            self.retranslate()

        def retranslate(self) -> None:
            self.title.setText(self.tr("Decode ids"))

Strings reach ``resources/i18n/token_inspector_zh_CN.ts`` through ``self.tr`` /
``QCoreApplication.translate`` (``make translations`` runs lupdate and lrelease). lupdate takes
the enclosing class's name as the context of ``self.tr``, and PySide6 looks strings up under
the object's own class name: a subclass of a translated widget finds nothing, so code meant to
be subclassed uses ``QCoreApplication.translate("BaseClass", ...)``. Write whole sentences with
``{placeholders}`` (``self.tr("{n} ids.").format(n=...)``), never pieces glued together: word
order differs in Chinese.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from inspector.core.errors import MESSAGE_CONTEXT, InspectorError
from inspector.core.sources import resources_dir
from inspector.gui import session

ENGLISH = "en"
CHINESE = "zh_CN"
LANGUAGES: tuple[str, ...] = (ENGLISH, CHINESE)
# Each language named in itself, the convention of language menus (a reader of the other
# language must still find their own).
LANGUAGE_NAMES: dict[str, str] = {ENGLISH: "English", CHINESE: "简体中文"}
SETTINGS_KEY = "language"  # "" or missing: follow the system
APP_CATALOG = "token_inspector"
QT_CATALOGS: tuple[str, ...] = ("qtbase",)


def translations_dir() -> Path:
    return resources_dir() / "i18n"


def qt_translations_dir() -> Path:
    """Where PySide6 ships Qt's own .qm files (qtbase_zh_CN.qm …)."""
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def normalize(language: str | None) -> str | None:
    """``zh_CN``, ``zh-cn``, ``zh``, ``zh_Hans`` → ``zh_CN``; ``en_US`` → ``en``; else None."""
    if not language:
        return None
    name = language.strip().replace("-", "_")
    if not name:
        return None
    locale = QLocale(name)
    if locale.language() == QLocale.Language.Chinese:
        # Traditional script (zh_TW, zh_HK) has no translation: English, not the wrong script.
        traditional = locale.script() == QLocale.Script.TraditionalHanScript
        return None if traditional else CHINESE
    if locale.language() == QLocale.Language.English:
        return ENGLISH
    return None


def system_language() -> str:
    """The system locale's language when we have it, else English."""
    return normalize(QLocale.system().name()) or ENGLISH


def saved_language() -> str | None:
    """The language chosen in *View → Language*, or None to follow the system."""
    return normalize(str(session.settings().value(SETTINGS_KEY, "") or ""))


def save_language(language: str | None) -> None:
    """Remember a choice (None: follow the system). Honours TOKEN_INSPECTOR_CONFIG."""
    store = session.settings()
    store.setValue(SETTINGS_KEY, normalize(language) or "")
    store.sync()


def resolve_language(override: str | None = None) -> str:
    """``--lang`` first, then the remembered choice, then the system locale."""
    return normalize(override) or saved_language() or system_language()


class Translations:
    """The translators installed on the application; one instance per application."""

    def __init__(self, app: QCoreApplication) -> None:
        self.app = app
        self.language = ENGLISH
        self._installed: list[QTranslator] = []

    def install(self, language: str) -> bool:
        """Switch to ``language``; Qt then sends LanguageChange to every widget.

        Returns False (and stays in English) when the app's own catalogue cannot be loaded.
        """
        wanted = normalize(language) or ENGLISH
        translators: list[QTranslator] = []
        if wanted != ENGLISH:
            app_translator = QTranslator(self.app)
            if not app_translator.load(f"{APP_CATALOG}_{wanted}", str(translations_dir())):
                return False
            translators.append(app_translator)
            for catalog in QT_CATALOGS:
                qt_translator = QTranslator(self.app)
                # A missing Qt catalogue (a trimmed bundle) leaves only Qt's dialogs English.
                if qt_translator.load(f"{catalog}_{wanted}", str(qt_translations_dir())):
                    translators.append(qt_translator)
        for old in self._installed:
            QCoreApplication.removeTranslator(old)
            old.deleteLater()
        for new in translators:
            QCoreApplication.installTranslator(new)
        self._installed = translators
        self.language = wanted
        if wanted == ENGLISH and not translators:
            # Removing nothing sends no event: widgets built in another language must hear.
            QCoreApplication.sendEvent(self.app, QEvent(QEvent.Type.LanguageChange))
        return True


_TRANSLATIONS: Translations | None = None


def translations() -> Translations:
    """The application's translations (created on first use, English until installed)."""
    global _TRANSLATIONS
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication before installing translations")
    if _TRANSLATIONS is None or _TRANSLATIONS.app is not app:
        _TRANSLATIONS = Translations(app)
    return _TRANSLATIONS


def install_language(override: str | None = None) -> str:
    """At start-up: install ``--lang``, the saved choice or the system's language."""
    language = resolve_language(override)
    if not translations().install(language):
        translations().install(ENGLISH)
    return translations().language


def current_language() -> str:
    return translations().language if QCoreApplication.instance() is not None else ENGLISH


def switch_language(language: str | None) -> str:
    """The menu's action: remember the choice (None: the system's) and apply it now."""
    save_language(language)
    translations().install(language or system_language())
    return translations().language


def translate_explanation(template: str) -> str:
    """A token explanation's English template (core's ``TokenExplanation`` marks) in the
    window's language; pass it as ``translate=`` to ``EncodingResult.token`` and
    ``DisplayStrings`` (exports and the CLI keep the English)."""
    return QCoreApplication.translate("TokenExplanation", template)


def translate_message(template: str) -> str:
    """A core message template (marked ``QT_TRANSLATE_NOOP("Message", …)``) in the window's
    language."""
    return QCoreApplication.translate(MESSAGE_CONTEXT, template)


def error_text(err: BaseException) -> str:
    """What the window says for ``err``: an InspectorError raised with a core Message in the
    window's language (thread-safe: jobs call it on their worker), anything else as ``str``."""
    if isinstance(err, InspectorError):
        return err.message.translated(translate_message)
    return str(err)


class Retranslatable:
    """Mixin for a QWidget: calls ``self.retranslate()`` whenever the language changes.

    Put it before the Qt class (``class Panel(Retranslatable, QWidget)``) so that its
    ``changeEvent`` runs first.
    """

    def retranslate(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)  # type: ignore[misc]


def build_language_menu(parent: QWidget, on_change: Callable[[str], None] | None = None) -> QMenu:
    """*View → Language*: follow the system, or one language; the choice is remembered."""
    menu = QMenu(parent)
    group = QActionGroup(menu)
    group.setExclusive(True)
    saved = saved_language()
    choices: list[tuple[str | None, QAction]] = [(None, QAction(menu))]
    choices += [(language, QAction(LANGUAGE_NAMES[language], menu)) for language in LANGUAGES]
    for language, action in choices:
        action.setCheckable(True)
        action.setChecked(language == saved)
        action.setData(language or "")
        group.addAction(action)
        menu.addAction(action)

        def chosen(_checked: bool = False, language: str | None = language) -> None:
            applied = switch_language(language)
            if on_change is not None:
                on_change(applied)

        action.triggered.connect(chosen)
    system_action = choices[0][1]

    def retranslate() -> None:
        menu.setTitle(QCoreApplication.translate("LanguageMenu", "&Language"))
        system_action.setText(QCoreApplication.translate("LanguageMenu", "System default"))

    retranslate()
    on_language_change(menu, retranslate)
    return menu


class _LanguageWatcher(QWidget):
    """An invisible child that tells a plain (non-mixin) widget about language changes."""

    def __init__(self, parent: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(parent)
        self.hide()
        self._callback = callback

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._callback()
        super().changeEvent(event)


def on_language_change(widget: QWidget, callback: Callable[[], None]) -> None:
    """Call ``callback`` on every language change while ``widget`` lives (menus, actions)."""
    _LanguageWatcher(widget, callback)
