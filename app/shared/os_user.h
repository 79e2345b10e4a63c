#pragma once

#include <QString>

// Who is at the keyboard, as the journal records the actor: the login name from the environment,
// else the account's own name.
QString osUser();
