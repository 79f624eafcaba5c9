#include "render_api.h"

namespace hfnapi {
void registerTrainerApi(Napi::Env, Napi::Object) {}
}  // namespace hfnapi
