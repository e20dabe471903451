//! A small X client that records the keys it receives: the program a code is typed into, on
//! the test's X server (Xvfb).

use std::time::{Duration, Instant};

use x11rb::connection::Connection;
use x11rb::protocol::Event;
use x11rb::protocol::xproto::{
    ConnectionExt, CreateWindowAux, EventMask, InputFocus, KeyButMask, WindowClass,
};
use x11rb::rust_connection::RustConnection;
use x11rb::{COPY_DEPTH_FROM_PARENT, CURRENT_TIME};

/// A mapped window of its own, which has the keyboard focus when [`KeyRecorder::focus`] says so,
/// and the text of the key presses it has received.
#[allow(missing_debug_implementations)]
pub struct KeyRecorder {
    connection: RustConnection,
    window: u32,
    /// The keyboard's mapping: the keysyms of each keycode from `first`.
    first: u8,
    per_keycode: usize,
    keysyms: Vec<u32>,
}

/// A connection to the test's X display, tried again for up to 10 s: an Xvfb started without
/// `-noreset` refuses connections while it resets, after its last client left.
pub fn x_connect() -> (RustConnection, usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match x11rb::connect(None) {
            Ok(connected) => return connected,
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => panic!("no X display ({e}): run under Xvfb (`make test` does)"),
        }
    }
}

impl KeyRecorder {
    /// The window, mapped and focused.
    pub fn start() -> Self {
        let (connection, screen) = x_connect();
        let root = connection.setup().roots[screen].root;
        let window = connection.generate_id().unwrap();
        connection
            .create_window(
                COPY_DEPTH_FROM_PARENT,
                window,
                root,
                0,
                0,
                200,
                100,
                0,
                WindowClass::INPUT_OUTPUT,
                0,
                &CreateWindowAux::new().event_mask(EventMask::KEY_PRESS),
            )
            .unwrap()
            .check()
            .unwrap();
        connection.map_window(window).unwrap().check().unwrap();
        let (first, last) = (
            connection.setup().min_keycode,
            connection.setup().max_keycode,
        );
        let mapping = connection
            .get_keyboard_mapping(first, last - first + 1)
            .unwrap()
            .reply()
            .unwrap();
        let recorder = Self {
            window,
            first,
            per_keycode: usize::from(mapping.keysyms_per_keycode),
            keysyms: mapping.keysyms,
            connection,
        };
        recorder.focus();
        recorder
    }

    /// Gives the window the keyboard focus.
    pub fn focus(&self) {
        self.connection
            .set_input_focus(InputFocus::PARENT, self.window, CURRENT_TIME)
            .unwrap()
            .check()
            .unwrap();
    }

    /// Whether the window has the keyboard focus.
    pub fn has_focus(&self) -> bool {
        self.connection
            .get_input_focus()
            .unwrap()
            .reply()
            .unwrap()
            .focus
            == self.window
    }

    /// What was typed into the window since the last call, once `chars` characters have come
    /// or `within` has passed: digits and letters as they are, Tab as `\t`, other keys but modifiers as `?`.
    pub fn typed(&self, chars: usize, within: Duration) -> String {
        let deadline = Instant::now() + within;
        let mut text = String::new();
        while text.chars().count() < chars && Instant::now() < deadline {
            match self.connection.poll_for_event().unwrap() {
                Some(Event::KeyPress(press)) => {
                    let column =
                        usize::from(u16::from(press.state) & u16::from(KeyButMask::SHIFT) != 0);
                    let at = usize::from(press.detail - self.first) * self.per_keycode + column;
                    let keysym = self.keysyms.get(at).copied().unwrap_or(0);
                    // Shift, Control, Alt and the like are pressed too: they type nothing.
                    if (0xffe1..=0xffee).contains(&keysym) {
                        continue;
                    }
                    text.push(match keysym {
                        0xff09 => '\t',
                        0x20..=0x7e => char::from(u8::try_from(keysym).unwrap()),
                        _ => '?',
                    });
                }
                Some(_) => {}
                None => std::thread::sleep(Duration::from_millis(10)),
            }
        }
        text
    }
}
