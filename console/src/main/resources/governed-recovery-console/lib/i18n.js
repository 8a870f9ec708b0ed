// English and German texts of the console, from messages/<language>.json served with it. The language is the one
// Keycloak has for the person (the token's locale), else the browser's first supported one, else English.

export const LANGUAGES = ['en', 'de'];
let messages = {};
let fallback = {};
let language = 'en';

async function load(lang) {
  const response = await fetch(`messages/${lang}.json`, {credentials: 'omit'});
  if (!response.ok) {
    throw new Error(`messages/${lang}.json: ${response.status}`);
  }
  return response.json();
}

export function pick(preferred) {
  for (const candidate of [preferred, ...(navigator.languages || [navigator.language])]) {
    const base = (candidate || '').toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) {
      return base;
    }
  }
  return 'en';
}

export async function use(lang) {
  language = LANGUAGES.includes(lang) ? lang : 'en';
  fallback = Object.keys(fallback).length ? fallback : await load('en');
  messages = language === 'en' ? fallback : await load(language);
  document.documentElement.lang = language;
  for (const element of document.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n);
  }
}

export function current() {
  return language;
}

/** The text of {@code key} with {0}, {1}... filled in; the key itself when no language has it. */
export function t(key, ...args) {
  const text = messages[key] ?? fallback[key] ?? key;
  return text.replace(/\{(\d+)\}/g, (match, index) => (args[index] === undefined ? match : String(args[index])));
}

/** The text of {@code prefix + code} when there is one, else the code itself (codes the console does not know yet). */
export function word(prefix, code) {
  if (code === null || code === undefined || code === '') {
    return '';
  }
  const key = prefix + code;
  return (messages[key] ?? fallback[key]) !== undefined ? t(key) : String(code);
}
